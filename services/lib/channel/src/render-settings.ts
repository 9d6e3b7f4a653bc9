import type { TemplateRendererOptions } from './template-renderer';

/**
 * What a preview sets (strict variables) and tests set (the clock); a worker needs none. Its own module
 * so the channel renderers and channelRenderer, which picks among them, need not import each other.
 */
export type RenderSettings = Pick<TemplateRendererOptions, 'strictVariables' | 'now' | 'engine'>;
