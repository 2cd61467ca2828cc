// esbuild plugins for serverless-esbuild (`custom.esbuild.plugins` in serverless.yml).
//
// inline-sdk-schema-keys: the SDK v3 clients describe every shape of their service as a plain array in
// dist-es/schemas/schemas_0.js, but the member traits use computed keys (`{ [_xN]: "Tags" }` where
// `const _xN = "xmlName"`). esbuild cannot prove a computed key free of side effects, so it keeps every
// shape of the service, used or not: 539 KB of EC2 schemas for the dozen commands we send (~60 ms to
// import). Rewriting each computed key whose name is a string constant of the same file into that literal
// (`{ "xmlName": "Tags" }`) changes no value, and lets esbuild drop the shapes no imported command reaches.
//
// zod-namespace-imports: Powertools parser's schemas `import { z } from 'zod'`, a namespace object that
// esbuild keeps whole once it is imported as a value: every zod export, its ~40 locales included (the HTTP
// Lambdas' zod went from 96 KB to 444 KB). The same binding imported as `import * as z from 'zod'` is only
// ever read as `z.object(…)`, which esbuild resolves export by export and tree-shakes like the rest.
'use strict';

const { readFile } = require('node:fs/promises');

const SCHEMA_FILE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** `const _xN = "xmlName";` → Map { '_xN' => '"xmlName"' } */
function stringConstants(source) {
  const constants = new Map();
  for (const match of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(match[1], match[2]);
  return constants;
}

function inlineSchemaKeys(source) {
  const constants = stringConstants(source);
  return source.replace(/\[(_\w+)\]:/g, (whole, name) => constants.get(name)?.concat(':') ?? whole);
}

const inlineSdkSchemaKeys = {
  name: 'inline-sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_FILE }, async (args) => ({
      contents: inlineSchemaKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

const POWERTOOLS_PARSER_FILE = /[\\/]@aws-lambda-powertools[\\/]parser[\\/]lib[\\/]esm[\\/].+\.js$/;
const ZOD_NAMED_NAMESPACE = /^import \{ z \} from 'zod';$/gm;

/** `import { z } from 'zod';` → `import * as z from 'zod';` (the same bindings, read property by property). */
function zodNamespaceImports(source) {
  return source.replace(ZOD_NAMED_NAMESPACE, "import * as z from 'zod';");
}

const zodNamespaceImportsPlugin = {
  name: 'zod-namespace-imports',
  setup(build) {
    build.onLoad({ filter: POWERTOOLS_PARSER_FILE }, async (args) => ({
      contents: zodNamespaceImports(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

module.exports = [inlineSdkSchemaKeys, zodNamespaceImportsPlugin];
module.exports.inlineSchemaKeys = inlineSchemaKeys;
module.exports.zodNamespaceImports = zodNamespaceImports;
