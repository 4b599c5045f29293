import type { MessageKey } from './en.js';
import { en } from './en.js';
export const fr: Record<MessageKey, string> = { ...en };
