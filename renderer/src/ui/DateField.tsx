import { useEffect, useState } from 'react';
import { dateForField, datePlaceholder, parseDateField } from './dateText.js';

/**
 * A date typed in the UI language's format. The value is YYYY-MM-DD when the text reads as a date; otherwise the
 * text as typed, which the station refuses with the field's own help (so a typo is said, not silently dropped).
 */
export function DateField({ value, onChange, language, testId, label }: { value: string; onChange: (next: string) => void; language: string; testId: string; label: string }) {
  const [text, setText] = useState(() => dateForField(value, language));
  const [shownIn, setShownIn] = useState(language);
  // A value set from outside (the operational day moving on) replaces the text, unless the text already means
  // that value: a date being typed (2026/11/1 on the way to 2026/11/15) is left as typed.
  useEffect(() => {
    setText((current) => ((parseDateField(current) ?? current.trim()) === value ? current : dateForField(value, language)));
  }, [value, language]);
  // The language switched: a whole date is shown in the new language's format.
  if (shownIn !== language) {
    setShownIn(language);
    setText(dateForField(parseDateField(text) ?? value, language));
  }
  const invalid = text.trim() !== '' && parseDateField(text) === null;
  return (
    <input
      type="text"
      className="input input-date"
      inputMode="numeric"
      autoComplete="off"
      aria-label={label}
      aria-invalid={invalid || undefined}
      placeholder={datePlaceholder(language)}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseDateField(e.target.value) ?? e.target.value.trim());
      }}
      onBlur={() => {
        const iso = parseDateField(text);
        if (iso) setText(dateForField(iso, language));
      }}
      data-testid={testId}
    />
  );
}
