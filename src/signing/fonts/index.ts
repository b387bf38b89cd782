/** CJK fonts for GB/T 9704 documents and seal text: resolve a role, embed it subsetted. */
export { embedCjkFont, embedCjkFonts, resolveCjkFont, parseFontSpec, fallbackFonts, FontUnavailableError } from './cjkFonts';
export type { FontOverrides, FontRole, FontSource, ResolvedFont } from './cjkFonts';
export { FontRoleSchema, FontOverridesSchema, fontRoleLabels } from '../../shared/domain/documents/fontRoles';
