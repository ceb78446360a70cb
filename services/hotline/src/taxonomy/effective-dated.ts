/** A version of something that is in force from a Hanoi day until another (exclusive). */
export interface EffectiveDated {
  validFrom: string;
  validTo: string | null;
}

export function inForceOn<T extends EffectiveDated>(versions: readonly T[], day: string): T | undefined {
  return versions.find(
    (version) => version.validFrom <= day && (version.validTo === null || day < version.validTo),
  );
}

/**
 * How a new version from `validFrom` fits the versions of one key: the version in force on that day
 * ends there (its validTo set), versions starting on or after it are refused (edit the future
 * version by replacing it on its own day). Returns the versions to update, or the reason it is refused.
 */
export function planNewVersion<T extends EffectiveDated>(
  versions: readonly T[],
  validFrom: string,
): { ok: true; closing: T | undefined; replacing: T | undefined } | { ok: false; reason: string } {
  const replacing = versions.find((version) => version.validFrom === validFrom);
  const later = versions.find((version) => version.validFrom > validFrom);
  if (later) return { ok: false, reason: `a version from ${later.validFrom} already follows ${validFrom}` };
  const closing = replacing ? undefined : inForceOn(versions, validFrom);
  return { ok: true, closing, replacing };
}
