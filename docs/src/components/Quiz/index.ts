/** Quizzes for lessons: `import { MultipleChoice, OrderSteps } from '@site/src/components/Quiz';` */
export { default as MultipleChoice } from './MultipleChoice';
export { default as OrderSteps } from './OrderSteps';
