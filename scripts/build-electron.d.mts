export declare const projectRoot: string;
export declare const mainExternals: string[];
export declare function buildElectron(options?: { root?: string; outdir?: string; logLevel?: string }): Promise<{ main: string; preload: string }>;
export declare const mainAliases: Record<string, string>;
