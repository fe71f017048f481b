import module from 'node:module'

/*
 * `npm start` runs this: Node keeps the compiled code of the modules it loads (its compile cache,
 * in the system's temporary directory) and reuses it on the next start, so loading the server's
 * modules, about half of a start, costs less after the first (bench/ab.ts, start-up). It must be
 * switched on before the server's modules are imported, hence this file.
 */
module.enableCompileCache?.()
// The styles, scripts and compiled templates, built here if anything they come from changed.
const { buildAssets } = await import('../scripts/build-assets.ts')
await buildAssets()
await import('./server.ts')
