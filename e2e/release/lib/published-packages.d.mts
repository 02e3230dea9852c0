export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: {
    name: string;
    version: string;
    private?: boolean;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    [field: string]: unknown;
  };
}

/** The packages of the one `fixed` group of .changeset/config.json, in config order. */
export function publishedPackages(repoRoot: string): WorkspacePackage[];

/** Every workspace package of the repository, by name. */
export function workspacePackages(repoRoot: string): Map<string, WorkspacePackage>;
