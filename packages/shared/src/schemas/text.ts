/** At least one non-space character (a JSON Schema `pattern` too, so API Gateway checks it as well). */
export const NOT_BLANK = /\S/;
