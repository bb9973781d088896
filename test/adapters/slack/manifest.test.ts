import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_EVENTS_PATH } from '../../../adapters/slack/slack-surface.js';

interface Manifest {
  features: { slash_commands: { command: string; url: string; usage_hint: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

describe('manifests/slack/manifest.yml', () => {
  const manifest = parse(readFileSync('manifests/slack/manifest.yml', 'utf8')) as Manifest;

  it('declares /audit and interactivity on the path the adapter mounts', () => {
    const command = manifest.features.slash_commands[0];
    expect(command?.command).toBe('/audit');
    expect(command?.usage_hint.length).toBeLessThanOrEqual(1000);
    expect(new URL(command?.url ?? '').pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_EVENTS_PATH);
  });

  it('asks for exactly the bot scopes auditbot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'chat:write',
      'commands',
      'files:write',
      'users:read',
    ]);
  });
});
