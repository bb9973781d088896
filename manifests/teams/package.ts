/**
 * Builds the Teams app package (manifest.json + icons, zipped) from environment values:
 * MICROSOFT_APP_ID (required), AUDITBOT_PUBLIC_URL (its host becomes the valid domain and the
 * developer site), AUDITBOT_TEAMS_APP_VERSION (default: package.json version).
 * `npm run package:teams` → dist/auditbot-teams.zip.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestUtil } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { z } from 'zod';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const MANIFEST_PATH = join(here, 'manifest.json');
const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';

/** The official JSON schema of the manifest's version, as shipped in @microsoft/app-manifest. */
export function officialSchema(manifestVersion: string): Record<string, unknown> {
  const path = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
  );
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export async function manifestSchemaErrors(manifest: Record<string, unknown>): Promise<string[]> {
  const schema = officialSchema(String(manifest.manifestVersion));
  // biome-ignore lint/suspicious/noExplicitAny: the validator is typed against its own manifest classes
  return ManifestUtil.validateManifestAgainstSchema(manifest as any, schema as any);
}

const PackageEnv = z.object({
  MICROSOFT_APP_ID: z.uuid({ message: 'MICROSOFT_APP_ID must be the bot’s Azure AD app id (a GUID)' }),
  AUDITBOT_PUBLIC_URL: z.url({
    protocol: /^https$/,
    message: 'AUDITBOT_PUBLIC_URL must be the https URL Teams reaches auditbot at',
  }),
  AUDITBOT_TEAMS_APP_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .optional(),
});

/** The manifest with this deployment's ids, domain and version filled in. */
export function deploymentManifest(env: Record<string, string | undefined>): Record<string, unknown> {
  const parsed = PackageEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${String(issue?.path[0])}: ${issue?.message}`);
  }
  const { MICROSOFT_APP_ID: appId, AUDITBOT_PUBLIC_URL: publicUrl } = parsed.data;
  const host = new URL(publicUrl).host;
  const packageJson = JSON.parse(readFileSync(resolve(here, '../../package.json'), 'utf8')) as { version: string };
  const text = readFileSync(MANIFEST_PATH, 'utf8')
    .replaceAll(PLACEHOLDER_ID, appId)
    .replaceAll('auditbot.example.com', host);
  const manifest = JSON.parse(text) as Record<string, unknown>;
  manifest.version = parsed.data.AUDITBOT_TEAMS_APP_VERSION ?? packageJson.version;
  manifest.validDomains = [host];
  return manifest;
}

/** The zip Teams takes in "Upload a custom app": manifest.json and both icons at the root. */
export async function buildTeamsPackage(
  env: Record<string, string | undefined>,
): Promise<{ manifest: Record<string, unknown>; zip: Buffer }> {
  const manifest = deploymentManifest(env);
  const errors = await manifestSchemaErrors(manifest);
  if (errors.length) throw new Error(`manifest does not match the official schema:\n${errors.join('\n')}`);
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('color.png', readFileSync(join(here, 'color.png')));
  zip.file('outline.png', readFileSync(join(here, 'outline.png')));
  return { manifest, zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { zip } = await buildTeamsPackage(process.env);
    const out = resolve('dist/auditbot-teams.zip');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    process.stdout.write(`wrote ${out} (${zip.length} bytes)\n`);
  } catch (error) {
    process.stderr.write(`package:teams: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
