/** A template that cannot be used: a malformed file, an unknown field or filter. Raised when templates are loaded. */
export class TemplateError extends Error {}
