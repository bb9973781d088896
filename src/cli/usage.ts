import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Wrong words on the command line: exit code 2 and a one-line explanation. */
export class UsageError extends Error {}

/** node:util parseArgs with its errors turned into UsageErrors. */
export function parseVerbArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The console user: whoever runs the command on this machine, an admin of the default tenant. */
export function consoleUserName(env: NodeJS.ProcessEnv): string {
  return env.USER ?? env.USERNAME ?? 'operator';
}
