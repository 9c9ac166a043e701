// Allure 3 report settings (`npm run report`): the history file carries trends from run to run (the nightly
// workflow keeps it between runs), results come from reports/allure-results.
import { defineConfig } from 'allure';

export default defineConfig({
  name: 'socketproof',
  output: './reports/allure-report',
  historyPath: './reports/allure-history.jsonl',
  plugins: {
    awesome: { options: { reportName: 'socketproof', groupBy: ['epic', 'feature', 'story'] } },
  },
});
