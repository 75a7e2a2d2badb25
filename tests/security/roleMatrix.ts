// Calls every contract call as nobody, staff, lead and supervisor through one transport and lists
// every answer that breaks the role rules. Shared by the HTTP and the IPC halves of roles.test.ts.
import { api, callNames, type ApiResponse, type Role } from '../../contract/index.js';
import { CALL_TABLE, minRoleOf, roleAllowed, type InputContext } from './callTable.js';
import { sampleInput } from './sampleInput.js';

export interface MatrixClient {
  call(name: string, input: unknown): Promise<ApiResponse>;
}

export const DEMO_CREDENTIALS: Record<Role, { badge: string; pin: string }> = {
  staff: { badge: 'OP-1001', pin: '1234' },
  lead: { badge: 'OP-2001', pin: '2345' },
  supervisor: { badge: 'OP-3001', pin: '3456' },
};

/** Problems with the table itself: calls without a reviewed entry, entries that disagree with the contract, inputs that are not valid. */
export function tableProblems(scratchDir: string): string[] {
  const problems: string[] = [];
  for (const name of callNames) {
    const entry = CALL_TABLE[name];
    if (!entry) {
      problems.push(`${name}: no entry in tests/security/callTable.ts — add it with the minimum role it should need (reviewed), and an input if the generic builder cannot make one`);
      continue;
    }
    const derived = minRoleOf(api[name].access);
    if (derived === null) problems.push(`${name}: access ${JSON.stringify(api[name].access)} is not "a role and every role above it"`);
    else if (derived !== entry.minRole) problems.push(`${name}: contract grants it from ${derived} up, the reviewed table says ${entry.minRole}`);
    const input = inputFor(name, { scratchDir, self: DEMO_CREDENTIALS.staff });
    if (input === undefined || !api[name].input.safeParse(input).success) {
      problems.push(`${name}: no schema-valid input — give CALL_TABLE['${name}'] an input(ctx) function`);
    }
  }
  for (const name of Object.keys(CALL_TABLE)) if (!(callNames as string[]).includes(name)) problems.push(`${name}: in the table but not in the contract`);
  return problems;
}

export function inputFor(name: string, ctx: InputContext): unknown {
  const entry = CALL_TABLE[name];
  if (entry?.input) return entry.input(ctx);
  const spec = (api as Record<string, { input: Parameters<typeof sampleInput>[0] }>)[name];
  return spec ? sampleInput(spec.input) : undefined;
}

/**
 * Answers that must not come back where the role is allowed: the gate's refusals, and INTERNAL (a handler that
 * crashed on schema-valid input). INVALID_INPUT may: the input is schema-valid (tableProblems checks it),
 * so it can only be the handler's own check (e.g. a photo that is not an image).
 */
const GATE_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'INTERNAL']);

function describe(res: ApiResponse): string {
  return res.ok ? 'ok' : `${res.error.code} (${res.error.message})`;
}

export interface MatrixResult {
  violations: string[];
  /** `${who} ${call} → ${answer}` for every cell, to show in a failure. */
  cells: number;
}

/**
 * `newClient()` must return a client with its own session (a new X-Station-Session, a new webContents).
 * The signed-out row uses a fresh client per call, so a public call that signs in cannot leak into the next one.
 */
export async function runRoleMatrix(newClient: () => MatrixClient, scratchDir: string): Promise<MatrixResult> {
  const violations: string[] = [];
  let cells = 0;
  const signIn = async (client: MatrixClient, role: Role): Promise<void> => {
    const res = await client.call('session.signIn', DEMO_CREDENTIALS[role]);
    if (!res.ok || (res.value as { role?: unknown }).role !== role) throw new Error(`sign-in as ${role} failed: ${describe(res)}`);
  };

  for (const who of [null, ...(['staff', 'lead', 'supervisor'] as const)]) {
    let client = newClient();
    if (who) await signIn(client, who);
    for (const name of callNames) {
      const entry = CALL_TABLE[name];
      if (!entry) continue; // reported by tableProblems
      if (!who) client = newClient();
      const input = inputFor(name, { scratchDir, self: DEMO_CREDENTIALS[who ?? 'staff'] });
      const res = await client.call(name, input);
      cells += 1;
      const label = `${who ?? 'signed-out'} → ${name}`;
      if (roleAllowed(entry.minRole, who)) {
        if (!res.ok && GATE_CODES.has(res.error.code)) violations.push(`${label}: allowed, but got ${describe(res)}`);
      } else {
        const expected = who ? 'FORBIDDEN' : 'UNAUTHENTICATED';
        if (res.ok || res.error.code !== expected) violations.push(`${label}: expected ${expected}, got ${describe(res)}`);
      }
      if (who) {
        // A call like session.signOut ends the session: sign in again so the rest of the row still runs as `who`.
        const current = await client.call('session.current', {});
        if (!current.ok || current.value === null) {
          client = newClient();
          await signIn(client, who);
        }
      }
    }
  }
  return { violations, cells };
}
