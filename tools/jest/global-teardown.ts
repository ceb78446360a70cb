/** Stops what the global set-up started (a broker that was already running is left alone). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.backboneTestInfrastructure?.stop();
}
