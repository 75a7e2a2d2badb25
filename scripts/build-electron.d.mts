export declare const projectRoot: string;
export declare const mainExternals: string[];
export declare const DEMO_BUNDLE: string;
export declare function buildElectron(options?: {
  root?: string;
  outdir?: string;
  demoOutfile?: string;
  demo?: boolean;
  logLevel?: string;
}): Promise<{ main: string; preload: string; exportWorker: string; summaryWorker: string; demo?: string }>;
export declare const mainAliases: Record<string, string>;
