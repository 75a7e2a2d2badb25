import { z } from 'zod';

/** Station settings a bench can set from the environment (README, Configuration). */
export const LaunchEnv = z.object({
  RS_STATION_ID: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'RS_STATION_ID: 1–16 letters, digits or hyphens').optional(),
  RS_WMS_URL: z.string().url('RS_WMS_URL must be a URL').optional(),
  RS_WMS_TOKEN: z.string().min(8, 'RS_WMS_TOKEN is too short').optional(),
  /** The site hub: when set, the bench delivers and pulls through it, over the same contract as the WMS. */
  RS_HUB_URL: z.string().url('RS_HUB_URL must be a URL').optional(),
  /** This bench's credential from the hub's enrolment (`npm run hub -- enrol CODE`). */
  RS_HUB_TOKEN: z.string().min(16, 'RS_HUB_TOKEN is too short').optional(),
  /** A PEM file with the CA the hub's HTTPS certificate must chain to (pinned: the OS's roots are not trusted for the hub). */
  RS_HUB_CA: z.string().min(1, 'RS_HUB_CA is empty').optional(),
  RS_PRINTER: z
    .string()
    .regex(/^tcp:\/\/[A-Za-z0-9.-]+:\d{1,5}$/, 'RS_PRINTER must look like tcp://host:9100')
    .optional(),
  RS_PRINTER_LANGUAGE: z.enum(['zpl', 'sbpl']).optional(),
  /** A JSON file with the bench's devices (docs/devices.md); default <dataDir>/devices.json when present. */
  RS_DEVICES_FILE: z.string().min(1, 'RS_DEVICES_FILE is empty').optional(),
  /**
   * `1`: demo mode (demo WMS, printer simulator, demo operators for whatever is not configured). Set by
   * `npm start` when no RS_WMS_URL is given; a packaged app has no demo parts, so there it stops start-up.
   */
  RS_DEMO: z.enum(['0', '1'], 'RS_DEMO must be 0 or 1').optional(),
  /** A folder under which exports may go, besides the user's home folder (e.g. a mounted share). */
  RS_EXPORTS_DIR: z.string().min(1, 'RS_EXPORTS_DIR is empty').optional(),
});
export type LaunchEnv = z.infer<typeof LaunchEnv>;

export function readLaunchEnv(env: NodeJS.ProcessEnv): LaunchEnv {
  const parsed = LaunchEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Station settings are not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (parsed.data.RS_WMS_URL && !parsed.data.RS_WMS_TOKEN) throw new Error('RS_WMS_URL is set but RS_WMS_TOKEN is not.');
  if (parsed.data.RS_HUB_URL && !parsed.data.RS_HUB_TOKEN) throw new Error('Station settings are not valid: RS_HUB_URL is set but RS_HUB_TOKEN is not.');
  // A bench talks to one upstream; both set would leave it unclear where events went.
  if (parsed.data.RS_HUB_URL && parsed.data.RS_WMS_URL) throw new Error('Station settings are not valid: set RS_HUB_URL or RS_WMS_URL, not both (with a hub, the hub talks to the WMS).');
  return parsed.data;
}
