import { useId, useState, type FormEvent, type ReactNode } from 'react';
import styles from './Quiz.module.css';

export interface MultipleChoiceProps {
  readonly question: ReactNode;
  readonly options: readonly ReactNode[];
  /** 0-based index of the right option. */
  readonly answer: number;
  /** Why the right answer is right: shown once it is found. */
  readonly explanation?: ReactNode;
}

type Verdict = 'unanswered' | 'right' | 'wrong';

/** One question, radio buttons, a Check button and feedback read out by screen readers. */
export default function MultipleChoice({ question, options, answer, explanation }: MultipleChoiceProps) {
  const name = useId();
  const [choice, setChoice] = useState<number | undefined>(undefined);
  const [verdict, setVerdict] = useState<Verdict>('unanswered');

  const check = (event: FormEvent) => {
    event.preventDefault();
    if (choice !== undefined) setVerdict(choice === answer ? 'right' : 'wrong');
  };

  return (
    <form className={styles.quiz} onSubmit={check} data-quiz="multiple-choice">
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>{question}</legend>
        {options.map((option, index) => (
          <label key={index} className={styles.option}>
            <input
              type="radio"
              name={name}
              value={index}
              checked={choice === index}
              onChange={() => {
                setChoice(index);
                setVerdict('unanswered');
              }}
            />
            <span>{option}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button button--primary button--sm" disabled={choice === undefined}>
        Check answer
      </button>
      <div className={styles.feedback} role="status" aria-live="polite" data-verdict={verdict}>
        {verdict === 'right' && (
          <p>
            <strong>Correct.</strong> {explanation}
          </p>
        )}
        {verdict === 'wrong' && (
          <p>
            <strong>Not quite.</strong> Pick another answer and check again.
          </p>
        )}
      </div>
    </form>
  );
}
