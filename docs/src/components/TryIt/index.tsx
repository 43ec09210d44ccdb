import Link from '@docusaurus/Link';
import { usePluginData } from '@docusaurus/useGlobalData';
import { useDoc } from '@docusaurus/plugin-content-docs/client';
import type { ExercisePagesData } from '../../../plugins/exercise-pages/index';

/**
 * The exercises that practise the current lesson, straight from the manifest
 * (each exercise names its `lesson`), so this list is never edited by hand.
 */
export default function TryIt() {
  const { metadata } = useDoc();
  const lessonId = metadata.id.replace(/^lessons\//, '');
  const { exercises } = usePluginData('exercise-pages') as ExercisePagesData;
  const mine = exercises.filter((exercise) => exercise.lesson === lessonId);

  if (mine.length === 0) {
    return <p>No exercise practises this lesson directly: its ideas run through all of them.</p>;
  }
  return (
    <ul>
      {mine.map((exercise) => (
        <li key={exercise.id}>
          <Link to={exercise.permalink}>
            {exercise.number}. {exercise.title}
          </Link>{' '}
          ({exercise.partTitle}), checked by <code>npm run check -- {exercise.id}</code>
        </li>
      ))}
    </ul>
  );
}
