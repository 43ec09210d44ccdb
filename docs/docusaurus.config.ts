/**
 * The Socket Workbook site. Its structure comes from `exercises/manifest.ts`:
 * see `sidebars.ts` (navigation), `plugins/exercise-pages` (one page per
 * exercise) and `plugins/api-reference.ts` (TypeDoc).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Preset from '@docusaurus/preset-classic';
import type { Config } from '@docusaurus/types';
import { course } from '../exercises/manifest.ts';
import { apiReferencePlugin } from './plugins/api-reference.ts';
import exercisePagesPlugin from './plugins/exercise-pages/index.ts';
import { exercisePermalink, lessonPermalink } from './plugins/exercise-pages/render-page.ts';
import webpackAdjustmentsPlugin from './plugins/webpack-adjustments.ts';
import { PLAYGROUND_URL_VARIABLE } from '../tooling/playground/origins.ts';
import { prismTheme } from './src/prism-theme.ts';

const siteDir = path.dirname(fileURLToPath(import.meta.url));
const firstLesson = course.lessons[0]?.id ?? 'networks-in-layers';
const firstExercise = course.exercises[0]?.id ?? 'tcp-echo';

const config: Config = {
  title: 'Socket Workbook',
  tagline: 'Learn TCP, WebSocket and Socket.IO by building them, in TypeScript.',
  favicon: 'img/favicon.svg',
  url: 'http://localhost',
  baseUrl: '/',
  trailingSlash: false,
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  // Built without @docusaurus/faster (not installed): plain webpack + babel.
  future: { faster: false },
  // On the first load, the page's chunks wait for the first paint; links prefetch their pages in idle time: see the modules.
  clientModules: ['./src/client/paint-first.ts', './src/client/idle-prefetch.ts'],
  markdown: {
    mermaid: true,
    // .md (exercise pages, API reference) is CommonMark; .mdx (lessons) is MDX.
    format: 'detect',
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },
  i18n: { defaultLocale: 'en', locales: ['en'] },
  // Where the live demos find the playground when it is not on its usual port: `npm start -- --playground-port` sets it
  // (read in src/components/live/playground.ts).
  customFields: process.env[PLAYGROUND_URL_VARIABLE] ? { playgroundUrl: process.env[PLAYGROUND_URL_VARIABLE] } : {},

  presets: [
    [
      'classic',
      {
        docs: {
          // Lessons (lessons/), exercise pages (generated/) and the API reference (api/) all live
          // under docs/ itself, so one sidebar can hold them and links between them are checked.
          path: '.',
          include: ['lessons/**/*.mdx', 'generated/exercises/*.md', 'api/**/*.md'],
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
        },
        blog: false,
        theme: { customCss: './src/css/custom.css' },
        sitemap: false,
      } satisfies Preset.Options,
    ],
  ],

  themes: [
    '@docusaurus/theme-mermaid',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: '/',
        language: ['en'],
        explicitSearchResultPath: true,
        searchBarShortcutHint: false,
        // Our docs live in docs/ itself (see the docs preset above).
        docsDir: '.',
      },
    ],
  ],

  plugins: [exercisePagesPlugin, webpackAdjustmentsPlugin, apiReferencePlugin(siteDir)],

  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    mermaid: { theme: { light: 'neutral', dark: 'dark' } },
    navbar: {
      title: 'Socket Workbook',
      items: [
        { to: lessonPermalink(firstLesson), label: 'Lessons', position: 'left', activeBasePath: '/lessons' },
        { to: exercisePermalink(firstExercise), label: 'Exercises', position: 'left', activeBasePath: '/exercises' },
        { to: '/api', label: 'API reference', position: 'left', activeBasePath: '/api' },
        { to: '/playground', label: 'Live demos', position: 'left' },
        { to: '/inspector', label: 'Inspector', position: 'left' },
        { to: '/progress', label: 'Progress', position: 'right' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Specifications',
          items: [
            { label: 'RFC 9293: TCP', href: 'https://www.rfc-editor.org/rfc/rfc9293' },
            { label: 'RFC 6455: WebSocket', href: 'https://www.rfc-editor.org/rfc/rfc6455' },
          ],
        },
        {
          title: 'Socket.IO',
          items: [
            { label: 'Socket.IO v4 docs', href: 'https://socket.io/docs/v4/' },
            { label: 'Protocol', href: 'https://socket.io/docs/v4/socket-io-protocol/' },
          ],
        },
      ],
      copyright: 'Socket Workbook · MIT licence',
    },
    prism: {
      // One theme of CSS variables for both modes: see src/prism-theme.ts.
      theme: prismTheme,
      darkTheme: prismTheme,
      additionalLanguages: ['bash', 'http'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
