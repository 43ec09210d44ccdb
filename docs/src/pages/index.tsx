import Link from '@docusaurus/Link';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { usePluginData } from '@docusaurus/useGlobalData';
import Layout from '@theme/Layout';
import type { ExercisePagesData } from '../../plugins/exercise-pages/index';
import styles from './index.module.css';

/** The front door: what the workbook is, and the loop a learner repeats. */
export default function Home() {
  const { siteConfig } = useDocusaurusContext();
  const { lessons, exercises } = usePluginData('exercise-pages') as ExercisePagesData;
  const [firstLesson] = lessons;
  const [firstExercise] = exercises;

  return (
    <Layout title="Learn real-time networking by building it" description={siteConfig.tagline}>
      <main className="container margin-bottom--xl">
        <header className={styles.hero}>
          <h1>{siteConfig.title}</h1>
          <p className="hero__subtitle">{siteConfig.tagline}</p>
          <div className={styles.actions}>
            {firstLesson && (
              <Link className="button button--primary button--lg" to={firstLesson.permalink}>
                Start with the lessons
              </Link>
            )}
            {firstExercise && (
              <Link className="button button--secondary button--lg" to={firstExercise.permalink}>
                Jump to exercise 1
              </Link>
            )}
          </div>
        </header>

        <section>
          <h2>What this is</h2>
          <p>
            A workbook of {exercises.length} small exercises and {lessons.length} lessons. You write a TCP echo server, then a
            WebSocket handshake and frame parser by hand, then chat rooms, acknowledgements and authentication with
            Socket.IO — in TypeScript, on your own machine. Every exercise comes with a check that starts your code,
            talks to it over real sockets and tells you, like a mentor would, what it expected and what happened.
          </p>
        </section>

        <section>
          <h2>The loop</h2>
          <ol className={styles.loop}>
            <li>
              <strong>Install once:</strong> <code>npm install</code> in the repository.
            </li>
            <li>
              <strong>Read:</strong> <code>npm start</code> opens this site locally; read the lesson, then the
              exercise page.
            </li>
            <li>
              <strong>Write:</strong> open the file the exercise names (for example{' '}
              <code>exercises/tcp-echo/server.ts</code>) and replace the <code>TODO</code>.
            </li>
            <li>
              <strong>Check:</strong> <code>npm run check -- tcp-echo</code> grades it;{' '}
              <code>npm run check</code> alone picks up where you left off.
            </li>
            <li>
              <strong>Stuck?</strong> <code>npm run hint -- tcp-echo</code> shows one more hint each time, gentlest
              first.
            </li>
          </ol>
        </section>
      </main>
    </Layout>
  );
}
