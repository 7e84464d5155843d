// The question asked before an upload that 1fichier's time limit would likely cut: one
// at a time, answered with "Upload anyway" (true) or "Cancel" (false).
import type { UploadTimeCheck } from '../backend/types';

class UploadWarning {
  current = $state.raw<{ check: UploadTimeCheck; answer: (go: boolean) => void } | null>(null);

  ask(check: UploadTimeCheck): Promise<boolean> {
    // A question still open is answered "no" by the new one (it is the same choice again).
    this.current?.answer(false);
    return new Promise((resolve) => {
      const answer = (go: boolean) => {
        if (this.current?.answer === answer) this.current = null;
        resolve(go);
      };
      this.current = { check, answer };
    });
  }
}

export const uploadWarning = new UploadWarning();
