import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, MANIFEST_PATH, manifestSchemaErrors } from '../../../manifests/teams/package.js';

const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as {
  manifestVersion: string;
  bots: {
    scopes: string[];
    supportsFiles: boolean;
    commandLists: { scopes: string[]; commands: { title: string }[] }[];
  }[];
};

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('Teams manifest', () => {
  it('matches the official schema of its version shipped in @microsoft/app-manifest', async () => {
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.22);
    expect(await manifestSchemaErrors(manifest as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('declares the bot in every scope, with files and short command lists', () => {
    const [bot] = manifest.bots;
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot?.supportsFiles).toBe(true);
    const covered = bot?.commandLists.flatMap((l) => l.scopes).sort();
    expect(covered).toEqual(['groupChat', 'personal', 'team']);
    for (const list of bot?.commandLists ?? []) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) expect(command.title.length).toBeLessThanOrEqual(12);
    }
  });

  it('packages a valid zip from environment values, icons at their required sizes', async () => {
    const { manifest: built, zip } = await buildTeamsPackage({
      MICROSOFT_APP_ID: '6f1c2a54-6b4e-4c43-9a43-1f5e2d7b9a10',
      AUDITBOT_PUBLIC_URL: 'https://audit.contoso.com',
    });
    expect(built).toMatchObject({ id: '6f1c2a54-6b4e-4c43-9a43-1f5e2d7b9a10', validDomains: ['audit.contoso.com'] });
    expect((built.bots as { botId: string }[])[0]?.botId).toBe('6f1c2a54-6b4e-4c43-9a43-1f5e2d7b9a10');
    const archive = await JSZip.loadAsync(zip);
    expect(Object.keys(archive.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(await manifestSchemaErrors(JSON.parse(await archive.file('manifest.json')!.async('string')))).toEqual([]);
    expect(pngSize(await archive.file('color.png')!.async('nodebuffer'))).toEqual({ width: 192, height: 192 });
    expect(pngSize(await archive.file('outline.png')!.async('nodebuffer'))).toEqual({ width: 32, height: 32 });
  });

  it('refuses to package without a real app id', async () => {
    await expect(buildTeamsPackage({ AUDITBOT_PUBLIC_URL: 'https://audit.contoso.com' })).rejects.toThrow(
      /MICROSOFT_APP_ID/,
    );
  });
});
