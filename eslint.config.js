import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'public/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The layers (ADR 7): pure rules (src/domain) and form machinery (src/forms) know nothing of
    // the web app around them: no Fastify, no plugin, no feature. src/layers.test.ts proves it.
    files: ['src/domain/**/*.ts', 'src/forms/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'fastify', message: 'src/domain and src/forms know nothing of the web.' },
          ],
          patterns: [
            {
              regex: '(^|/)(plugins|features)/',
              message:
                'src/domain and src/forms import no plugin or feature (ADR 7): move what both need to src/domain, src/forms or src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    // What several features share (ADR 7) depends on none of them: src/shared imports no
    // feature; a type both need lives in src/shared and the feature imports it from there.
    // src/layers.test.ts proves it.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)features/',
              message:
                'src/shared imports no feature (ADR 7): move what both need to src/shared, src/domain or src/forms, and let the feature import it from there.',
            },
          ],
        },
      ],
    },
  },
  {
    // A feature's repository is its own (ADR 7): another feature reads or changes that data
    // through the feature's service or src/shared, never its repository. Tests set up their
    // rows through src/testing/factories.ts. Of another feature's files, a feature imports only
    // those meant to be used from outside: its services, presenters, pre-handlers (-context),
    // forms read the same way wherever they are shown (.form, .schemas) and session (.session).
    files: ['src/features/**/*.ts'],
    ignores: ['src/features/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(\\.\\./features/)?[^/.]+/[^/]+\\.repository(\\.ts)?$',
              message:
                "No feature imports another feature's repository (ADR 7): go through that feature's service, or src/shared for what several features read.",
            },
            {
              // Any other file of another feature (the repository has its own message above).
              regex:
                '^\\.\\./(\\.\\./features/)?[^/.]+/(?!(.*/)?[^/]+(\\.(service|presenter|form|schemas|session|repository)|-context)(\\.ts)?$).+$',
              message:
                "Of another feature a feature imports only its *.service.ts, *.presenter.ts, *-context.ts, *.form.ts, *.schemas.ts and *.session.ts (ADR 7): re-export what is needed through that feature's service, or move what several features use to src/shared.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['assets/js/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
)
