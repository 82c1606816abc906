export declare const SKIPPED_DIRS: ReadonlySet<string>;
/** Files under `dir` whose names end with `ext` (default `.py`), sorted, without caches and environments. */
export declare function sourceFiles(dir: string, ext?: string, out?: string[]): string[];
