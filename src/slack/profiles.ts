// Named request templates for `/privatelink provision <profile> …` (config/slack-profiles.json).
// Imported statically, so the Lambda bundle carries them.
import config from '../../config/slack-profiles.json' with { type: 'json' };
import type { SlackProfile } from './commands.ts';

export const SLACK_PROFILES: Record<string, SlackProfile> = (config as { profiles: Record<string, SlackProfile> })
  .profiles;
