import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import styles from './Quiz.module.css';
import { scrambled } from './scrambled';

export interface OrderStepsProps {
  readonly question: string;
  /** The steps in the RIGHT order; the learner sees them shuffled. */
  readonly steps: readonly string[];
  readonly explanation?: string;
}

/**
 * "Put these steps in order", without drag and drop: each step has Move up and
 * Move down buttons, so it works by keyboard and screen reader alike.
 */
export default function OrderSteps({ question, steps, explanation }: OrderStepsProps) {
  const legendId = useId();
  const [order, setOrder] = useState(() => scrambled(steps.length, question));
  const [verdict, setVerdict] = useState<'unanswered' | 'right' | 'wrong'>('unanswered');
  const [announcement, setAnnouncement] = useState('');
  // After a move, keep focus on the moved step (its button may have become disabled).
  const [focusTarget, setFocusTarget] = useState<{ step: number; direction: 'up' | 'down' } | undefined>();
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  useEffect(() => {
    if (!focusTarget) return;
    const { step, direction } = focusTarget;
    const preferred = buttons.current.get(`${step}-${direction}`);
    const other = buttons.current.get(`${step}-${direction === 'up' ? 'down' : 'up'}`);
    (preferred && !preferred.disabled ? preferred : other)?.focus();
  }, [focusTarget, order]);

  const move = (position: number, direction: 'up' | 'down') => {
    const target = direction === 'up' ? position - 1 : position + 1;
    const step = order[position];
    if (step === undefined || target < 0 || target >= order.length) return;
    const next = [...order];
    [next[position], next[target]] = [next[target] as number, step];
    setOrder(next);
    setVerdict('unanswered');
    setFocusTarget({ step, direction });
    setAnnouncement(`"${steps[step]}" moved to position ${target + 1} of ${order.length}.`);
  };

  const check = (event: FormEvent) => {
    event.preventDefault();
    const inPlace = order.filter((step, position) => step === position).length;
    setVerdict(inPlace === order.length ? 'right' : 'wrong');
    setAnnouncement(
      inPlace === order.length ? '' : `Not yet: ${inPlace} of ${order.length} steps are in the right place.`,
    );
  };

  return (
    <form className={styles.quiz} onSubmit={check} data-quiz="order-steps">
      <fieldset className={styles.fieldset} aria-describedby={`${legendId}-help`}>
        <legend className={styles.legend}>{question}</legend>
        <p id={`${legendId}-help`} className={styles.help}>
          Use the Move up and Move down buttons, then check your order.
        </p>
        <ol className={styles.steps}>
          {order.map((step, position) => (
            <li key={step} className={styles.step}>
              <span className={styles.stepText}>{steps[step]}</span>
              <span className={styles.stepButtons}>
                <button
                  type="button"
                  className="button button--secondary button--sm"
                  ref={(element) => register(buttons.current, `${step}-up`, element)}
                  aria-label={`Move "${steps[step]}" up`}
                  disabled={position === 0}
                  onClick={() => move(position, 'up')}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button--secondary button--sm"
                  ref={(element) => register(buttons.current, `${step}-down`, element)}
                  aria-label={`Move "${steps[step]}" down`}
                  disabled={position === order.length - 1}
                  onClick={() => move(position, 'down')}
                >
                  ↓
                </button>
              </span>
            </li>
          ))}
        </ol>
      </fieldset>
      <button type="submit" className="button button--primary button--sm">
        Check order
      </button>
      <div className={styles.feedback} role="status" aria-live="polite" data-verdict={verdict}>
        {verdict === 'right' ? (
          <p>
            <strong>Correct.</strong> {explanation}
          </p>
        ) : (
          announcement && <p>{announcement}</p>
        )}
      </div>
    </form>
  );
}

function register(map: Map<string, HTMLButtonElement>, key: string, element: HTMLButtonElement | null) {
  if (element) map.set(key, element);
  else map.delete(key);
}
