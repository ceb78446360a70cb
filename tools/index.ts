// The workspace's Nx plugin, `@backbone/tools` (tools/package.json, tools/generators.json): Nx finds
// it through this path in tsconfig.base.json. Nothing else imports it.
export { default as serviceGenerator } from './generators/service/generator';
