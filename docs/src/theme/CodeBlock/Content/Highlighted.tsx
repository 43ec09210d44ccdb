/**
 * The theme's highlighted code (Prism), with the site's extra Prism languages
 * (`themeConfig.prism.additionalLanguages`) registered when this chunk loads.
 * Loaded by `./index.tsx`: see there why not up front.
 */
import { Prism } from 'prism-react-renderer';
import prismIncludeLanguages from '@theme/prism-include-languages';
import OriginalContent from '@theme-original/CodeBlock/Content';
import type { Props } from '@theme/CodeBlock/Content';

prismIncludeLanguages(Prism);

export default function Highlighted(props: Props) {
  return <OriginalContent {...props} />;
}
