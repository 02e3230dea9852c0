// @ts-check
// Why one long file: the report inlines it into a self-contained HTML page with no module loader,
// and its parts (table, filters, canvas drawing, QA section) share one state.
// The browser side of the ModelArts tags report. It is inlined into the HTML
// file as it is, so it is plain JavaScript with no imports and no network.
(() => {
  'use strict';

  /**
   * @typedef {[string, number[]]} ClassificationImage  [imageId, tagIndexes]
   * @typedef {[string, number, number, number[]]} DetectionImage  [imageId, width, height, [tag, xmin, ymin, xmax, ymax, ...]]
   * @typedef {ClassificationImage | DetectionImage} CompactImage
   * @typedef {{ error: string, requestId?: string, imageIds: string[] }} FailureGroup
   * @typedef {{ counts: Record<string, number>, findings: { kind: string, imageId?: string, message: string }[] }} Qa
   * @typedef {{ annotationId: string, jobType: string, requested: number, tags: string[], images: CompactImage[],
   *   missing: string[], failed: FailureGroup[], requestIds: string[], elapsedMs?: number, qa?: Qa }} Job
   * @typedef {{ version: number, title: string, generatedAt: string, source: { kind: string, label: string }, jobs: Job[] }} ReportData
   */

  const dataElement = /** @type {HTMLScriptElement} */ (document.getElementById('report-data'));
  /** @type {ReportData} */
  const data = JSON.parse(dataElement.textContent || '{}');
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  const PAGE_SIZES = [50, 100, 200, 500];
  const state = { job: 0, query: '', page: 0, pageSize: 100 };

  /** What tests (and the curious) can read: counts of what is on screen now. */
  const api = {
    ready: false,
    job: '',
    query: '',
    page: 1,
    pageCount: 1,
    pageSize: state.pageSize,
    /** Images that match the filter, on all pages. */
    matching: 0,
    /** Cards on the current page. */
    shown: 0,
    /** Boxes drawn on the canvases of the current page. */
    boxesDrawn: 0,
    /** Boxes drawn since the report was opened, over all pages visited. */
    boxesDrawnTotal: 0,
  };
  /** @type {any} */ (window).__report = api;

  // ---------- colours: a stable hue per tag name ----------

  /** @type {Map<string, number>} */
  const hues = new Map();
  /** FNV-1a over the UTF-16 code units, spread over the colour wheel by the golden angle. */
  function hueOf(/** @type {string} */ tag) {
    let hue = hues.get(tag);
    if (hue === undefined) {
      let hash = 0x811c9dc5;
      for (let i = 0; i < tag.length; i++) {
        hash ^= tag.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
      hue = Math.round((hash * 137.508) % 360);
      hues.set(tag, hue);
    }
    return hue;
  }

  // ---------- small DOM helpers ----------

  /**
   * @param {string} tag
   * @param {Record<string, string | number | boolean>} [attributes]
   * @param {(Node | string | null | undefined | false)[]} [children]
   */
  function h(tag, attributes = {}, children = []) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'class') element.className = String(value);
      else if (name === 'text') element.textContent = String(value);
      else if (name === 'style') element.setAttribute('style', String(value));
      else if (value !== false) element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== false) element.append(child);
    }
    return element;
  }

  const number = (/** @type {number} */ n) => n.toLocaleString('en-US');

  /** @param {string} tag @param {number} [count] @param {boolean} [button] */
  function chip(tag, count, button) {
    const element = h(button ? 'button' : 'span', { class: 'chip', style: `--h:${hueOf(tag)}`, title: tag }, [
      h('span', { class: 'swatch' }),
      tag,
      count === undefined ? null : h('span', { class: 'n', text: number(count) }),
    ]);
    if (button) {
      element.setAttribute('type', 'button');
      element.dataset.tag = tag;
    }
    return element;
  }

  // ---------- the model of one job ----------

  /** @param {CompactImage} image */
  const isDetection = (image) => image.length === 4;

  /** @param {Job} job @param {CompactImage} image @returns {string[]} */
  function tagsOf(job, image) {
    if (image.length === 4) {
      const names = [];
      for (let i = 0; i < image[3].length; i += 5) names.push(job.tags[/** @type {number} */ (image[3][i])] ?? '');
      return names;
    }
    return image[1].map((index) => job.tags[index] ?? '');
  }

  /** @param {Job} job */
  function tagCounts(job) {
    const counts = new Array(job.tags.length).fill(0);
    for (const image of job.images) {
      if (image.length === 4) for (let i = 0; i < image[3].length; i += 5) counts[/** @type {number} */ (image[3][i])]++;
      else for (const index of image[1]) counts[index]++;
    }
    return job.tags.map((tag, index) => ({ tag, count: counts[index] })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  }

  /**
   * Filter terms are separated by commas; an image matches when each term
   * matches one of its tags. A term matches a tag containing it, ignoring
   * case; a term in double quotes must equal the tag.
   * @param {string} query
   * @returns {((tag: string) => boolean)[]}
   */
  function parseQuery(query) {
    return query
      .split(',')
      .map((term) => term.trim())
      .filter((term) => term !== '' && term !== '"' && term !== '""')
      .map((term) => {
        const exact = /^"(.*)"$/.exec(term);
        if (exact) {
          const wanted = (exact[1] ?? '').toLowerCase();
          return (/** @type {string} */ tag) => tag.toLowerCase() === wanted;
        }
        const wanted = term.toLowerCase();
        return (/** @type {string} */ tag) => tag.toLowerCase().includes(wanted);
      });
  }

  /** @param {Job} job @param {string} query */
  function matchingImages(job, query) {
    const terms = parseQuery(query);
    if (terms.length === 0) return { images: job.images, terms };
    const images = job.images.filter((image) => {
      const tags = tagsOf(job, image);
      return terms.every((term) => tags.some(term));
    });
    return { images, terms };
  }

  // ---------- drawing a detection image ----------

  const FRAME_RATIO = 3 / 4;

  /**
   * Draws the image area and its boxes onto a canvas with the image's own
   * aspect ratio, fitted into a frame of the given width.
   * @param {HTMLCanvasElement} canvas
   * @param {Job} job
   * @param {DetectionImage} image
   * @param {number} frameWidth
   * @param {((tag: string) => boolean)[]} terms
   */
  function drawDetection(canvas, job, image, frameWidth, terms) {
    const [, width, height, boxes] = image;
    // Without a size, the extent of the boxes stands in for the image.
    let imageWidth = width;
    let imageHeight = height;
    if (!(imageWidth > 0 && imageHeight > 0)) {
      imageWidth = 1;
      imageHeight = 1;
      for (let i = 0; i < boxes.length; i += 5) {
        imageWidth = Math.max(imageWidth, /** @type {number} */ (boxes[i + 3]));
        imageHeight = Math.max(imageHeight, /** @type {number} */ (boxes[i + 4]));
      }
    }
    const frameHeight = frameWidth * FRAME_RATIO;
    const scale = Math.min(frameWidth / imageWidth, frameHeight / imageHeight);
    const cssWidth = Math.max(1, Math.round(imageWidth * scale));
    const cssHeight = Math.max(1, Math.round(imageHeight * scale));
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(cssWidth * ratio);
    canvas.height = Math.round(cssHeight * ratio);
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssHeight}px`;
    const k = cssWidth / imageWidth;

    const context = canvas.getContext('2d');
    let drawn = 0;
    if (context) {
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      const background = context.createLinearGradient(0, 0, cssWidth, cssHeight);
      background.addColorStop(0, '#3a4356');
      background.addColorStop(1, '#232a38');
      context.fillStyle = background;
      context.fillRect(0, 0, cssWidth, cssHeight);
      context.strokeStyle = 'rgba(255,255,255,0.06)';
      context.lineWidth = 1;
      for (let i = 1; i < 4; i++) {
        context.beginPath();
        context.moveTo(Math.round((cssWidth * i) / 4) + 0.5, 0);
        context.lineTo(Math.round((cssWidth * i) / 4) + 0.5, cssHeight);
        context.moveTo(0, Math.round((cssHeight * i) / 4) + 0.5);
        context.lineTo(cssWidth, Math.round((cssHeight * i) / 4) + 0.5);
        context.stroke();
      }

      context.font = '600 10.5px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif';
      context.textBaseline = 'middle';
      /** @type {[number, number, number, number, string, number][]} */
      const labels = [];
      for (let i = 0; i < boxes.length; i += 5) {
        const tag = job.tags[/** @type {number} */ (boxes[i])] ?? '';
        const x1 = /** @type {number} */ (boxes[i + 1]);
        const y1 = /** @type {number} */ (boxes[i + 2]);
        const x2 = /** @type {number} */ (boxes[i + 3]);
        const y2 = /** @type {number} */ (boxes[i + 4]);
        const x = x1 * k;
        const y = y1 * k;
        const w = (x2 - x1) * k;
        const hgt = (y2 - y1) * k;
        const hue = hueOf(tag);
        const dimmed = terms.length > 0 && !terms.some((term) => term(tag));
        context.globalAlpha = dimmed ? 0.3 : 1;
        context.fillStyle = `hsla(${hue} 85% 58% / 0.16)`;
        context.fillRect(x, y, w, hgt);
        context.strokeStyle = `hsl(${hue} 85% 60%)`;
        context.lineWidth = 2;
        context.strokeRect(x + 1, y + 1, Math.max(0, w - 2), Math.max(0, hgt - 2));
        labels.push([x, y, w, hgt, tag, dimmed ? 0.3 : 1]);
        drawn++;
      }
      // Labels last, so a box drawn later never hides an earlier box's name;
      // each goes to the first spot around its box that no other label took.
      /** @type {[number, number, number, number][]} */
      const placed = [];
      const labelHeight = 15;
      for (const [x, y, w, hgt, tag, alpha] of labels) {
        const hue = hueOf(tag);
        const labelWidth = Math.ceil(context.measureText(tag).width) + 8;
        const clampX = (/** @type {number} */ left) => Math.max(0, Math.min(left, cssWidth - labelWidth));
        const clampY = (/** @type {number} */ top) => Math.max(0, Math.min(top, cssHeight - labelHeight));
        /** @type {[number, number][]} */
        const candidates = [
          [clampX(x), clampY(y - labelHeight)],
          [clampX(x), clampY(y)],
          [clampX(x), clampY(y + hgt)],
          [clampX(x + w - labelWidth), clampY(y + hgt - labelHeight)],
        ];
        const free = candidates.find(([left, top]) =>
          placed.every(([l, t, lw, lh]) => left + labelWidth <= l || l + lw <= left || top + labelHeight <= t || t + lh <= top),
        );
        const [left, top] = free ?? /** @type {[number, number]} */ (candidates[0]);
        placed.push([left, top, labelWidth, labelHeight]);
        context.globalAlpha = alpha;
        context.fillStyle = `hsl(${hue} 75% 36%)`;
        context.fillRect(left, top, labelWidth, labelHeight);
        context.fillStyle = '#ffffff';
        context.fillText(tag, left + 4, top + labelHeight / 2 + 0.5);
      }
      context.globalAlpha = 1;
    }
    canvas.dataset.boxCount = String(drawn);
    return drawn;
  }

  // ---------- rendering ----------

  /** @type {{ grid: HTMLElement, count: HTMLElement, pageLabel: HTMLElement, prev: HTMLButtonElement, next: HTMLButtonElement, input: HTMLInputElement, tagButtons: HTMLElement[] } | null} */
  let view = null;

  function currentJob() {
    return /** @type {Job} */ (data.jobs[state.job]);
  }

  function jobTitle(/** @type {Job} */ job) {
    const kind =
      job.jobType === 'detection' ? 'Object detection' : job.jobType === 'classification' ? 'Image classification' : 'Annotation';
    return `${kind} · job ${job.annotationId}`;
  }

  function renderJob() {
    const job = currentJob();
    app.replaceChildren();

    if (data.jobs.length > 1) {
      const tabs = h('div', { class: 'tabs', role: 'tablist' });
      data.jobs.forEach((other, index) => {
        const tab = h(
          'button',
          {
            class: 'tab',
            type: 'button',
            role: 'tab',
            'aria-selected': index === state.job ? 'true' : 'false',
            'data-job': other.annotationId,
          },
          [jobTitle(other), h('span', { class: 'count', text: number(other.images.length) })],
        );
        tab.addEventListener('click', () => {
          if (state.job === index) return;
          state.job = index;
          state.query = '';
          state.page = 0;
          renderJob();
        });
        tabs.append(tab);
      });
      app.append(tabs);
    }

    app.append(renderSummary(job));

    const input = /** @type {HTMLInputElement} */ (
      h('input', {
        type: 'text',
        id: 'filter',
        placeholder: 'Filter by tag, e.g. cat   (press / to focus)',
        title: 'Matches tags containing the text; "cat" in quotes matches the tag exactly; separate several tags with commas',
        'aria-label': 'Filter by tag',
        list: 'tag-names',
        autocomplete: 'off',
        spellcheck: 'false',
      })
    );
    input.value = state.query;
    const datalist = h(
      'datalist',
      { id: 'tag-names' },
      job.tags.map((tag) => h('option', { value: tag })),
    );
    const clear = h('button', { class: 'clear', type: 'button', title: 'Clear the filter', 'aria-label': 'Clear the filter', text: '×' });
    const count = h('span', { class: 'result-count', id: 'result-count' });
    const prev = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', id: 'prev-page', text: '‹ Previous' }));
    const next = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', id: 'next-page', text: 'Next ›' }));
    const pageLabel = h('span', { class: 'page', id: 'page-label' });
    const sizeSelect = /** @type {HTMLSelectElement} */ (
      h(
        'select',
        { id: 'page-size', 'aria-label': 'Images per page' },
        PAGE_SIZES.map((size) => h('option', { value: size, text: `${size} per page` })),
      )
    );
    sizeSelect.value = String(state.pageSize);
    const toolbar = h('div', { class: 'toolbar' }, [
      h('div', { class: 'search' }, [input, clear, datalist]),
      count,
      h('div', { class: 'pager' }, [prev, pageLabel, next, sizeSelect]),
    ]);
    const grid = h('div', { class: `grid ${job.jobType === 'detection' ? 'detection' : 'classification'}`, id: 'grid' });
    app.append(toolbar, grid, h('footer', { text: `${data.title} · ${number(job.images.length)} images in job ${job.annotationId}` }));

    const tagButtons = /** @type {HTMLElement[]} */ ([...app.querySelectorAll('button.chip[data-tag]')]);
    view = { grid, count, pageLabel, prev, next, input, tagButtons };

    let debounce = 0;
    input.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = window.setTimeout(() => setQuery(input.value), 120);
    });
    clear.addEventListener('click', () => {
      input.value = '';
      setQuery('');
      input.focus();
    });
    prev.addEventListener('click', () => goToPage(state.page - 1));
    next.addEventListener('click', () => goToPage(state.page + 1));
    sizeSelect.addEventListener('change', () => {
      const first = state.page * state.pageSize;
      state.pageSize = Number(sizeSelect.value);
      state.page = Math.floor(first / state.pageSize);
      renderPage();
    });
    for (const button of tagButtons) {
      button.addEventListener('click', () => {
        const tag = button.dataset.tag ?? '';
        const exact = job.tags.some((other) => other !== tag && other.toLowerCase().includes(tag.toLowerCase())) ? `"${tag}"` : tag;
        const next = state.query === exact ? '' : exact;
        input.value = next;
        setQuery(next);
      });
    }
    renderPage();
  }

  /** @param {Job} job */
  function renderSummary(job) {
    const detection = job.jobType === 'detection';
    const boxes = detection ? job.images.reduce((sum, image) => sum + (image.length === 4 ? image[3].length / 5 : 0), 0) : 0;
    const failedCount = job.failed.reduce((sum, group) => sum + group.imageIds.length, 0);
    /** @param {string} label @param {string} value @param {string} [tone] */
    const stat = (label, value, tone) =>
      h('div', { class: `stat ${tone ?? ''}` }, [h('div', { class: 'value', text: value }), h('div', { class: 'label', text: label })]);
    const stats = h('div', { class: 'stats' }, [
      stat('images found', `${number(job.images.length)} / ${number(job.requested)}`),
      detection ? stat('boxes', number(boxes)) : null,
      stat('distinct tags', number(job.tags.length)),
      stat('missing', number(job.missing.length), job.missing.length > 0 ? 'warn' : ''),
      stat('failed', number(failedCount), failedCount > 0 ? 'bad' : ''),
      stat('requests', number(job.requestIds.length)),
      job.elapsedMs === undefined
        ? null
        : stat('time', job.elapsedMs < 1000 ? `${job.elapsedMs} ms` : `${(job.elapsedMs / 1000).toFixed(1)} s`),
    ]);
    const counts = tagCounts(job);
    const panel = h('section', { class: 'panel summary', 'aria-label': 'Summary' }, [
      h('h2', { text: jobTitle(job) }),
      stats,
      counts.length > 0
        ? h(
            'div',
            { class: 'chips tag-counts', title: 'Click a tag to filter by it' },
            counts.map(({ tag, count }) => chip(tag, count, true)),
          )
        : h('p', { class: 'no-tags', text: 'No tags in this job.' }),
    ]);
    if (job.missing.length > 0) {
      panel.append(idDetails('missing', 'warn', `Missing image IDs (the service returned nothing for them): `, job.missing));
    }
    if (job.failed.length > 0) {
      const details = h('details', { class: 'bad', id: 'failed' }, [
        h('summary', {}, ['Failed image IDs: ', h('span', { class: 'n', text: number(failedCount) })]),
      ]);
      for (const group of job.failed) {
        details.append(
          h('div', { class: 'failure' }, [
            h('p', { text: group.error }),
            group.requestId ? h('p', { class: 'mono', text: `request ID ${group.requestId}` }) : null,
            idList(group.imageIds),
          ]),
        );
      }
      panel.append(details);
    }
    if (job.requestIds.length > 0) {
      panel.append(idDetails('request-ids', '', 'Request IDs (quote them to support): ', job.requestIds));
    }
    if (job.qa) panel.append(qaDetails(job.qa));
    return panel;
  }

  const QA_TITLES = /** @type {Record<string, string>} */ ({
    boxOutsideImage: 'Boxes outside the image',
    zeroAreaBox: 'Zero-area boxes',
    invertedBox: 'Inverted boxes',
    boxWithoutSize: 'Boxes on images without a size',
    imageWithoutTags: 'Images without tags',
    tagNotInTagList: "Tags not in the job's tag list",
    tagCountMismatch: "Tag counts that differ from the job's statistics",
  });

  /** The label QA findings, by kind. @param {Qa} qa */
  function qaDetails(qa) {
    const total = Object.values(qa.counts).reduce((sum, n) => sum + n, 0);
    if (total === 0) return h('p', { id: 'qa', class: 'qa-clean', text: 'Label QA: no findings.' });
    const details = h('details', { id: 'qa', class: 'warn' }, [
      h('summary', {}, ['Label QA findings: ', h('span', { class: 'n', text: number(total) })]),
    ]);
    for (const [kind, count] of Object.entries(qa.counts)) {
      if (count === 0) continue;
      const shown = qa.findings.filter((finding) => finding.kind === kind);
      const list = h(
        'ul',
        { class: 'qa-findings' },
        shown.map((finding) => h('li', { text: finding.message })),
      );
      if (count > shown.length) list.append(h('li', { text: `… and ${number(count - shown.length)} more` }));
      details.append(
        h('div', { class: 'qa-kind', 'data-kind': kind }, [
          h('h3', {}, [`${QA_TITLES[kind] ?? kind}: `, h('span', { class: 'n', text: number(count) })]),
          list,
        ]),
      );
    }
    return details;
  }

  /** @param {string} id @param {string} tone @param {string} label @param {string[]} ids */
  function idDetails(id, tone, label, ids) {
    const details = /** @type {HTMLDetailsElement} */ (
      h('details', { id, class: tone }, [h('summary', {}, [label, h('span', { class: 'n', text: number(ids.length) })])])
    );
    // Long lists are only built when opened.
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) details.append(idList(ids));
    });
    return details;
  }

  const LIST_LIMIT = 2000;
  /** @param {string[]} ids */
  function idList(ids) {
    const list = h(
      'div',
      { class: 'id-list' },
      ids.slice(0, LIST_LIMIT).map((id) => h('div', { text: id })),
    );
    if (ids.length > LIST_LIMIT) list.append(h('div', { text: `… and ${number(ids.length - LIST_LIMIT)} more` }));
    return list;
  }

  function setQuery(/** @type {string} */ query) {
    if (query === state.query) return;
    state.query = query;
    state.page = 0;
    renderPage();
  }

  function goToPage(/** @type {number} */ page) {
    state.page = page;
    renderPage();
    view?.grid.scrollIntoView({ block: 'nearest' });
  }

  function renderPage() {
    if (!view) return;
    const job = currentJob();
    const { images, terms } = matchingImages(job, state.query);
    const pageCount = Math.max(1, Math.ceil(images.length / state.pageSize));
    state.page = Math.min(Math.max(0, state.page), pageCount - 1);
    const start = state.page * state.pageSize;
    const pageImages = images.slice(start, start + state.pageSize);

    view.count.textContent =
      images.length === 0
        ? 'No images match'
        : `${number(start + 1)}–${number(start + pageImages.length)} of ${number(images.length)} ${state.query.trim() ? 'matching ' : ''}images`;
    view.pageLabel.textContent = `Page ${number(state.page + 1)} of ${number(pageCount)}`;
    view.prev.disabled = state.page === 0;
    view.next.disabled = state.page >= pageCount - 1;
    const exactQuery = state.query.trim();
    for (const button of view.tagButtons) {
      const tag = button.dataset.tag ?? '';
      button.setAttribute('aria-pressed', exactQuery === tag || exactQuery === `"${tag}"` ? 'true' : 'false');
    }

    const cards = pageImages.map((image, index) =>
      isDetection(image) ? detectionCard(job, /** @type {DetectionImage} */ (image), index) : classificationCard(job, image),
    );
    view.grid.replaceChildren(...cards);
    if (cards.length === 0) view.grid.append(h('p', { class: 'empty', text: `No image has a tag matching “${state.query}”.` }));

    // Canvases are sized from the laid-out frame width, so draw after insertion.
    let boxesDrawn = 0;
    const firstFrame = view.grid.querySelector('.frame');
    const frameWidth = firstFrame ? firstFrame.getBoundingClientRect().width : 230;
    for (const canvas of view.grid.querySelectorAll('canvas')) {
      const index = Number(/** @type {HTMLCanvasElement} */ (canvas).dataset.index);
      boxesDrawn += drawDetection(
        /** @type {HTMLCanvasElement} */ (canvas),
        job,
        /** @type {DetectionImage} */ (pageImages[index]),
        frameWidth,
        terms,
      );
    }

    Object.assign(api, {
      ready: true,
      job: job.annotationId,
      query: state.query,
      page: state.page + 1,
      pageCount,
      pageSize: state.pageSize,
      matching: images.length,
      shown: pageImages.length,
      boxesDrawn,
      boxesDrawnTotal: api.boxesDrawnTotal + boxesDrawn,
    });
    document.body.dataset.ready = 'true';
  }

  /** @param {Job} job @param {DetectionImage} image @param {number} index its position on the page */
  function detectionCard(job, image, index) {
    const [imageId, width, height, boxes] = image;
    const tags = tagsOf(job, image);
    const canvas = h('canvas', { role: 'img', 'aria-label': `${imageId}: ${tags.join(', ') || 'no boxes'}`, 'data-index': index });
    const distinct = [...new Set(tags)];
    const card = h('article', { class: 'card detection', 'data-image-id': imageId, 'data-tags': JSON.stringify(tags) }, [
      h('div', { class: 'frame' }, [canvas]),
      h('div', { class: 'caption' }, [
        h('div', { class: 'id', title: imageId, text: imageId }),
        h('div', {
          class: 'meta',
          text: `${width > 0 ? `${width} × ${height}` : 'size unknown'} · ${boxes.length / 5} ${boxes.length === 5 ? 'box' : 'boxes'}`,
        }),
        distinct.length > 0
          ? h(
              'div',
              { class: 'chips' },
              distinct.map((tag) => chip(tag)),
            )
          : null,
      ]),
    ]);
    return card;
  }

  /** @param {Job} job @param {CompactImage} image */
  function classificationCard(job, image) {
    const tags = tagsOf(job, image);
    return h('article', { class: 'card classification', 'data-image-id': image[0], 'data-tags': JSON.stringify(tags) }, [
      h('div', { class: 'caption' }, [
        h('div', { class: 'id', title: image[0], text: image[0] }),
        tags.length > 0
          ? h(
              'div',
              { class: 'chips' },
              tags.map((tag) => chip(tag)),
            )
          : h('div', { class: 'no-tags', text: 'no tags' }),
      ]),
    ]);
  }

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      api.boxesDrawnTotal -= api.boxesDrawn;
      renderPage();
    }, 150);
  });
  document.addEventListener('keydown', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const typing = target.tagName === 'INPUT' || target.tagName === 'SELECT';
    if (event.key === '/' && !typing && view) {
      event.preventDefault();
      view.input.focus();
    } else if (!typing && event.key === 'ArrowRight' && view && !view.next.disabled) {
      goToPage(state.page + 1);
    } else if (!typing && event.key === 'ArrowLeft' && view && !view.prev.disabled) {
      goToPage(state.page - 1);
    }
  });

  if (data.jobs.length === 0) {
    app.replaceChildren(h('p', { class: 'empty', text: 'This report holds no jobs.' }));
    api.ready = true;
  } else {
    renderJob();
  }
})();
