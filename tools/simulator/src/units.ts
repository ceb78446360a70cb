/** A unit as the dossier service's GET /units lists it (the fields the simulator reads). */
export interface DossierUnit {
  code: string;
  type: string;
}

/**
 * The wards and communes among the units in force: the demo files dossiers at commune level, where
 * the city's one-stop desks are; city departments (also units) are left out.
 */
export function communeLevelUnitCodes(units: readonly DossierUnit[]): string[] {
  const codes = units.filter((unit) => unit.type === 'ward' || unit.type === 'commune').map((u) => u.code);
  if (codes.length === 0) throw new Error('the dossier service lists no wards or communes');
  return codes;
}
