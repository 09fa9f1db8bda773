// remark-cli's config for the link check (test/links.test.ts): only remark-validate-links, which checks
// relative links and heading anchors across the repository's Markdown files and never fetches a URL.
import remarkValidateLinks from 'remark-validate-links';

export default {
  plugins: [[remarkValidateLinks, { repository: false }]],
};
