export * from './provider';
export { claimForRun, ClaimStore, type ClaimOutcome, type Claims } from './claims';
export { createChannelHandler, channelDeadLetter, channelStage, type ChannelHandlerOptions } from './channel-handler';
export { startChannelService, channelGroupId, type ChannelServiceSpec, type ChannelServiceResources } from './channel-service';
export { createChannelMetrics, countDelivered, type ChannelMetrics } from './channel-metrics';
export { statusOf } from './dispatch-status';
export { escapeHtml, compileTemplate, renderTemplate, type CompiledTemplate, type RenderOptions } from './interpolate';
export { createTemplateEngine, DEFAULT_TEMPLATE_LIMITS, type TemplateEngine, type TemplateLimits } from './template-engine';
export { TemplateLimitError, type TemplateLimit, type TemplateErrorDetails } from './template-error';
export {
  FILTERS,
  money,
  number,
  percent,
  date,
  datetime,
  relative,
  formatLocale,
  formatTimeZone,
  type Filter,
  type FormatContext,
} from './intl-filters';
export { RETRY_POLICIES, retryDelayMs, retryPolicyFor, type RetryPolicy } from './retry-policy';
export { OutboxStore, type OutboxEntry } from './outbox';
export { SandboxProvider } from './sandbox-provider';
export { openingSealedFields, redacted, REDACTED } from './sealed-payload';
export { OptOutStore } from './opt-outs';
export { MessageLog, type LoggedMessage, type FinalStatus, type InDoubtMessage, type PublishClosed } from './message-log';
export { MessageCloser, type MessageCloserDeps, type OutcomeMetrics } from './message-closer';
export { startFeedbackSweeper, type FeedbackSweeper, type FeedbackSweeperOptions } from './feedback-sweeper';
export { FEEDBACK_TIMEOUTS_MS, feedbackTimeoutMs } from './feedback-timeouts';
export {
  TemplateBook,
  TemplateError,
  BUNDLED_TEMPLATES_DIR,
  compileMessageTemplate,
  templateField,
  type MessageTemplate,
  type TemplateField,
  type TemplateKey,
  type TemplateSource,
  type FoundTemplate,
} from './templates';
export { createTemplateRenderer, humanise, DEFAULT_DIGEST_LINES, type TemplateRendererOptions } from './template-renderer';
export { digestContext, type DigestContext, type DigestMemberContext } from './digest-renderer';
export { selectDigestMembers, digestText, type DigestSelection, type RenderedDigest, type RenderedDigestGroup } from './digest-listing';
export { localeChain, formattingLocale, DEFAULT_LOCALE } from './locale';
export { channelRuntimeConfig, retryOverrides, type ChannelRuntimeConfig } from './channel-config';
export { createTwilioClient, TwilioHttpClient, type TwilioClientOptions } from './twilio/client';
export { twilioFailure } from './twilio/errors';
export {
  startFeedbackServer,
  type FeedbackServer,
  type FeedbackRoute,
  type FeedbackRequest,
  type FeedbackResponse,
} from './feedback-server';
export { StatusPublisher, feedbackStatus, feedbackStatuses, noFeedbackStatuses } from './status-publisher';
export { digestMembers, withMemberStatuses, outcomeOutputs, type DigestMember } from './digest-members';
export { twilioStatusRoute, twilioInboundRoute, type TwilioFeedbackDeps } from './twilio/feedback';
export { startTwilioCallbacks, type TwilioCallbacks, type TwilioCallbacksOptions } from './twilio/callbacks';
export {
  openChannelProcess,
  providerOrSandbox,
  type ChannelProcess,
  type ChannelProcessConfig,
  type ChannelRunSpec,
  type Closable,
} from './channel-process';
export { twilioRuntimeConfig, usesTwilio, type TwilioRuntimeConfig } from './twilio/twilio-config';
export { openTwilio, type OpenTwilio } from './twilio/open-twilio';
export { TenantTemplates, TEMPLATES_CHANGED, type TenantTemplatesOptions, type TemplateOverride } from './tenant-templates';
export { readTemplateFiles, type TemplateFiles, type TemplateFields } from './template-files';
export { channelRenderer, type ChannelRenderOptions, type RenderSettings } from './channel-renderer';
export { createEmailRenderer, type EmailLinks } from './email-render';
export { withEmailParts } from './email-layout';
export { createSmsRenderer, SMS_DIGEST_LINES } from './sms-render';
export { countSegments, fitToSegments, isGsm7, capacity, type SegmentCount, type SmsEncoding } from './sms-segments';
