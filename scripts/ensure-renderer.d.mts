export declare function rendererIsCurrent(root?: string): boolean;
export declare function ensureRenderer(options?: { root?: string; log?: (line: string) => void }): Promise<boolean>;
