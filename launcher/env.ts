import { z } from 'zod';

/** Station settings a bench can set from the environment; anything absent falls back to the embedded demo. */
export const LaunchEnv = z.object({
  RS_STATION_ID: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'RS_STATION_ID: 1–16 letters, digits or hyphens').optional(),
  RS_WMS_URL: z.string().url('RS_WMS_URL must be a URL').optional(),
  RS_WMS_TOKEN: z.string().min(8, 'RS_WMS_TOKEN is too short').optional(),
  RS_PRINTER: z
    .string()
    .regex(/^tcp:\/\/[A-Za-z0-9.-]+:\d{1,5}$/, 'RS_PRINTER must look like tcp://host:9100')
    .optional(),
  RS_PRINTER_LANGUAGE: z.enum(['zpl', 'sbpl']).optional(),
  /** A JSON file with the bench's devices (docs/devices.md); default <dataDir>/devices.json when present. */
  RS_DEVICES_FILE: z.string().min(1, 'RS_DEVICES_FILE is empty').optional(),
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
  return parsed.data;
}
