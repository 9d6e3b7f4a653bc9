// The live preview: the API renders the editor's text a moment after the last keystroke. An answer
// that arrives after a newer request went out is dropped, so the pane never shows older text.
import { clearPreview, problemsOf, showPreview } from './template-preview.js';

const DELAY_MS = 300;

/**
 * request() gives the render body, null while the template is not named yet, or throws an error
 * with `field` for an input the page rejects itself (a sample that is not JSON).
 */
export function createLivePreview({ api, request, showErrors }) {
  let seq = 0;
  let timer;

  const run = async () => {
    const mine = ++seq;
    let body;
    try {
      body = request();
    } catch (error) {
      clearPreview();
      return showErrors([{ field: error.field, message: error.message }]);
    }
    if (body === null) return;
    try {
      const result = await api.post('/v1/templates/preview', body);
      if (mine !== seq) return;
      showErrors([]);
      showPreview(result, body.channel);
    } catch (error) {
      if (mine !== seq) return;
      clearPreview();
      showErrors(problemsOf(error));
    }
  };

  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(() => void run(), DELAY_MS);
    },
  };
}
