// The page's input: the text box, or a file chosen, dropped anywhere on the page or pasted.
// A text file's content is shown in the box too; editing the box makes the text the input.

export interface Input {
  /** File name, or "text" for the box. */
  name: string;
  bytes: Uint8Array;
}

/** A file's text is shown in the box only up to this size. */
const SHOW_TEXT_MAX = 1 << 20;

export function watchInput(
  textBox: HTMLTextAreaElement,
  fileInput: HTMLInputElement,
  label: HTMLElement,
): () => Input {
  let current: Input = { name: 'text', bytes: new TextEncoder().encode(textBox.value) };
  const show = () => (label.textContent = `Input: ${current.name === 'text' ? 'the text above' : current.name}, ${current.bytes.length.toLocaleString('en')} bytes`);
  const set = (input: Input) => {
    current = input;
    show();
  };
  const useFile = async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length <= SHOW_TEXT_MAX) {
      try {
        textBox.value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        textBox.value = `(${file.name} is not UTF-8 text)`;
      }
    } else {
      textBox.value = `(${file.name}: too large to show here)`;
    }
    set({ name: file.name, bytes });
  };

  textBox.addEventListener('input', () => set({ name: 'text', bytes: new TextEncoder().encode(textBox.value) }));
  fileInput.addEventListener('change', () => {
    if (fileInput.files?.[0]) void useFile(fileInput.files[0]);
    fileInput.value = '';
  });
  document.addEventListener('paste', (e) => {
    const file = e.clipboardData?.files[0];
    if (!file) return; // text pastes into the box as usual
    e.preventDefault();
    void useFile(file);
  });
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (file) void useFile(file);
    else if (e.dataTransfer?.getData('text/plain')) {
      textBox.value = e.dataTransfer.getData('text/plain');
      set({ name: 'text', bytes: new TextEncoder().encode(textBox.value) });
    }
  });
  show();
  return () => current;
}
