import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import { ConnectDemo, HandshakeView, ReconnectDemo, RoomsDemo } from '../components/live';
import { OnePlaygroundNote, PlaygroundNote } from '../components/live/shared';
import styles from '../components/live/live.module.css';

/** Every live demo on one page, for trying things out of a lesson's flow. */
export default function PlaygroundPage() {
  return (
    <Layout title="Live demos" description="Talk to a real Socket.IO server from this page: acknowledgements, broadcasts, rooms, reconnection, and your own handshake.">
      <main className="container margin-vert--lg">
        <h1>Live demos</h1>
        <p>
          These demos talk to the <strong>playground</strong>, a small Socket.IO server on your own machine. To talk to a
          server of your own, use the <Link className={styles.inlineLink} to="/inspector">
            Socket Inspector
          </Link>.
        </p>
        <div className="alert alert--info margin-bottom--md">
          <PlaygroundNote className="margin-bottom--none" />
        </div>
        <OnePlaygroundNote>
          <h2>Your own handshake</h2>
          <HandshakeView />
          <h2>Events and acknowledgements</h2>
          <ConnectDemo />
          <h2>Broadcasts and rooms</h2>
          <RoomsDemo />
          <h2>Reconnection</h2>
          <ReconnectDemo />
        </OnePlaygroundNote>
      </main>
    </Layout>
  );
}
