import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations generated from the committed SDL: a schema change that breaks a page
// breaks `npm run build`. Documents are parsed ASTs, as urql's normalised cache reads them.
const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.tsx', 'src/**/*.ts', '!src/gql/**/*'],
  generates: {
    './src/gql/': {
      preset: 'client',
      config: {
        enumsAsTypes: true,
        scalars: { DateTime: 'string', NaiveDate: 'string', ID: 'string' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
  silent: true,
};
export default config;
