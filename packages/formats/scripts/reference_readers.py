"""Reads the exports of reference-readers.mjs back with tools nobody here wrote and compares every
box with the tags that were exported: pycocotools for COCO, globox for COCO, Pascal VOC and YOLO
(and round trips between the three), Python's csv, json and zipfile for the rest.

Prints one line per check and, last, "N passed, N failed"."""

import csv
import json
import math
import os
import struct
import sys
import tempfile
import traceback
import zipfile
import zlib
from pathlib import Path

from globox import Annotation, AnnotationSet
from pycocotools.coco import COCO

work = Path(sys.argv[1])
out = work / "out"
expected = json.loads((work / "expected.json").read_text(encoding="utf-8"))
classes = expected["classes"]
images = expected["images"]
by_file = {image["file_name"]: image for image in images}
results = {"passed": 0, "failed": 0}


def check(name):
    def run(fn):
        try:
            fn()
            results["passed"] += 1
            print(f"ok   {name}")
        except Exception:
            results["failed"] += 1
            print(f"FAIL {name}")
            traceback.print_exc(limit=3)
        return fn

    return run


def expect_equal(actual, wanted, what):
    if actual != wanted:
        raise AssertionError(f"{what}: expected {wanted!r}, got {actual!r}")


def expected_boxes(rounding=None):
    """Per file name, the sorted boxes (tag, xmin, ymin, xmax, ymax) that were exported."""
    result = {}
    for image in images:
        boxes = [(t, *(rounding(v) if rounding else v for v in c)) for t, *c in image["boxes"]]
        result[image["file_name"]] = sorted(boxes)
    return result


def half_up(value):
    """VOC's integer pixels: a half rounds up (Python's round() would round it to even)."""
    return math.floor(value + 0.5)


def globox_boxes(annotations):
    return {a.image_id: sorted((b.label, *b.ltrb) for b in a.boxes) for a in annotations}


def same_boxes(actual, wanted, tolerance, what):
    expect_equal(sorted(actual), sorted(wanted), f"{what}: images")
    for name, boxes in wanted.items():
        got = actual[name]
        if len(got) != len(boxes):
            raise AssertionError(f"{what}: {name} has {len(got)} boxes, expected {len(boxes)}")
        for a, b in zip(got, boxes):
            if a[0] != b[0] or any(abs(x - y) > tolerance for x, y in zip(a[1:], b[1:])):
                raise AssertionError(f"{what}: {name}: {a} differs from {b} by more than {tolerance}")


def png(path, width, height):
    """A grey PNG of the given size: globox reads YOLO image sizes from the images."""
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


image_folder = work / "images"
image_folder.mkdir()
for image in images:
    png(image_folder / image["file_name"], image["width"], image["height"])

# Half a pixel is the most VOC's integers can be off; YOLO's six decimals are well under a hundredth.
EXACT = 1e-9
YOLO_ROUNDING = 0.01
index_to_label = {str(i): name for i, name in enumerate(classes)}


def read_yolo(folder):
    return AnnotationSet.from_yolo_darknet(folder, image_folder=image_folder, image_extension=".png").map_labels(index_to_label)


@check("pycocotools: COCO(file) loads the export; getAnnIds/loadAnns give every box to the pixel")
def _():
    coco = COCO(str(out / "coco" / "annotations.json"))
    expect_equal(sorted(coco.getImgIds()), list(range(1, len(images) + 1)), "image ids")
    expect_equal([c["name"] for c in coco.loadCats(coco.getCatIds())], classes, "categories")
    actual = {}
    for info in coco.loadImgs(coco.getImgIds()):
        wanted = by_file[info["file_name"]]
        expect_equal((info["width"], info["height"], info["modelarts_image_id"]), (wanted["width"], wanted["height"], wanted["image_id"]), info["file_name"])
        anns = coco.loadAnns(coco.getAnnIds(imgIds=[info["id"]]))
        actual[info["file_name"]] = sorted(
            (coco.loadCats(a["category_id"])[0]["name"], a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]) for a in anns
        )
    same_boxes(actual, expected_boxes(), 1e-6, "pycocotools")


@check("globox: COCO export read back equals the tags")
def _():
    same_boxes(globox_boxes(AnnotationSet.from_coco(out / "coco" / "annotations.json")), expected_boxes(), 1e-6, "globox COCO")


@check("globox: Pascal VOC export read back equals the tags (integer pixels)")
def _():
    voc = AnnotationSet.from_pascal_voc(out / "voc" / "Annotations")
    for a in voc:
        image = by_file[a.image_id]
        expect_equal(a.image_size, (image["width"], image["height"]), f"{a.image_id} size")
    same_boxes(globox_boxes(voc), expected_boxes(half_up), EXACT, "globox VOC")


@check("globox: YOLO export read back equals the tags within normalisation rounding")
def _():
    same_boxes(globox_boxes(read_yolo(out / "yolo" / "labels")), expected_boxes(), YOLO_ROUNDING, "globox YOLO")
    names = (out / "yolo" / "classes.txt").read_text(encoding="utf-8").splitlines()
    expect_equal(names, classes, "classes.txt")


@check("globox round trips: COCO -> VOC, VOC -> YOLO, YOLO -> COCO (loaded by pycocotools) keep every box")
def _():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        AnnotationSet.from_coco(out / "coco" / "annotations.json").save_pascal_voc(tmp / "voc")
        same_boxes(globox_boxes(AnnotationSet.from_pascal_voc(tmp / "voc")), globox_boxes(AnnotationSet.from_pascal_voc(out / "voc" / "Annotations")), 0.5, "COCO -> VOC")
        label_to_id = {name: i for i, name in enumerate(classes)}
        AnnotationSet.from_pascal_voc(out / "voc" / "Annotations").save_yolo_darknet(tmp / "yolo", label_to_id=label_to_id)
        same_boxes(globox_boxes(read_yolo(tmp / "yolo")), expected_boxes(half_up), YOLO_ROUNDING, "VOC -> YOLO")
        read_yolo(out / "yolo" / "labels").save_coco(tmp / "coco.json", auto_ids=True)
        coco = COCO(str(tmp / "coco.json"))
        actual = {}
        for info in coco.loadImgs(coco.getImgIds()):
            anns = coco.loadAnns(coco.getAnnIds(imgIds=[info["id"]]))
            actual[info["file_name"]] = sorted((coco.loadCats(a["category_id"])[0]["name"], a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]) for a in anns)
        same_boxes(actual, expected_boxes(), YOLO_ROUNDING, "YOLO -> COCO")


@check("manifest (detection): every line points at a VOC file of the export that globox reads")
def _():
    folder = out / "manifest-detection"
    lines = [json.loads(line) for line in (folder / "annotations.manifest").read_text(encoding="utf-8").splitlines()]
    expect_equal(len(lines), len(images), "lines")
    wanted = expected_boxes(half_up)
    for line, image in zip(lines, images):
        expect_equal((line["source"], line["id"]), (image["file_name"], image["image_id"]), "source and id")
        if not image["boxes"]:
            expect_equal(line["annotation"], [], f"{image['image_id']} annotation")
            continue
        (annotation,) = line["annotation"]
        expect_equal((annotation["type"], annotation["annotation-format"]), ("modelarts/object_detection", "PASCAL VOC"), "annotation")
        voc = Annotation.from_xml(folder / annotation["annotation-loc"])
        expect_equal(sorted((b.label, *b.ltrb) for b in voc.boxes), wanted[image["file_name"]], image["file_name"])


@check("manifest (classification): one annotation per tag")
def _():
    lines = [json.loads(line) for line in (out / "classification.manifest").read_text(encoding="utf-8").splitlines()]
    actual = [(line["id"], [a["name"] for a in line["annotation"]]) for line in lines]
    expect_equal(actual, [(c["image_id"], c["tags"]) for c in expected["classification"]], "tags")
    for line in lines:
        for a in line["annotation"]:
            expect_equal((a["type"], a["creation-time"]), ("modelarts/image_classification", "2026-11-30 00:00:00"), "annotation")


@check("csv: Python's csv module reads every box back, tricky tags and file names included")
def _():
    with open(out / "boxes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    actual = {}
    for row in rows:
        boxes = actual.setdefault(row["file_name"], [])
        if row["tag"]:
            boxes.append((row["tag"], *(float(row[k]) for k in ("xmin", "ymin", "xmax", "ymax"))))
    same_boxes({k: sorted(v) for k, v in actual.items()}, expected_boxes(), EXACT, "csv")
    with open(out / "images.csv", newline="", encoding="utf-8") as f:
        per_image = list(csv.DictReader(f))
    expect_equal([(r["image_id"], int(r["tag_count"])) for r in per_image], [(i["image_id"], len(i["boxes"])) for i in images], "images.csv")


@check("jsonl: every line parses and holds the exported boxes and tags")
def _():
    rows = [json.loads(line) for line in (out / "boxes.jsonl").read_text(encoding="utf-8").splitlines()]
    actual = {}
    for row in rows:
        boxes = actual.setdefault(row["file_name"], [])
        if "tag" in row:
            boxes.append((row["tag"], row["xmin"], row["ymin"], row["xmax"], row["ymax"]))
    same_boxes({k: sorted(v) for k, v in actual.items()}, expected_boxes(), EXACT, "jsonl")
    per_image = [json.loads(line) for line in (out / "classification.jsonl").read_text(encoding="utf-8").splitlines()]
    expect_equal([(r["image_id"], r["tags"]) for r in per_image], [(c["image_id"], c["tags"]) for c in expected["classification"]], "classification.jsonl")


def folder_files(folder):
    return {str(p.relative_to(folder)).replace(os.sep, "/"): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


for name, folder in [("voc", "voc"), ("yolo", "yolo"), ("manifest-detection", "manifest-detection")]:

    @check(f"zipfile: {name}.zip passes testzip() and holds exactly the files of the folder export")
    def _(name=name, folder=folder):
        with zipfile.ZipFile(out / f"{name}.zip") as archive:
            expect_equal(archive.testzip(), None, "testzip")
            inside = {info.filename: archive.read(info) for info in archive.infolist()}
        wanted = folder_files(out / folder)
        expect_equal(sorted(inside), sorted(wanted), "names")
        for path, data in wanted.items():
            expect_equal(inside[path], data, path)


@check("zipfile: coco.zip (a streamed entry with a data descriptor) holds the COCO file")
def _():
    with zipfile.ZipFile(out / "coco.zip") as archive:
        expect_equal(archive.testzip(), None, "testzip")
        expect_equal(archive.read("annotations.json"), (out / "coco" / "annotations.json").read_bytes(), "annotations.json")


@check("zipfile: a YOLO export of 70,000 images (ZIP64 end records, over 65,535 entries) opens whole")
def _():
    with zipfile.ZipFile(out / "big-yolo.zip") as archive:
        infos = archive.infolist()
        expect_equal(len(infos), expected["big_zip_files"], "entries")
        expect_equal(archive.testzip(), None, "testzip")
        data_yaml = archive.read("data.yaml").decode("utf-8")
        if f"nc: {len(classes)}" not in data_yaml:
            raise AssertionError(data_yaml)


print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
