import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { keyForSubmission, type Submission } from './submission-key';
import { productionKeys } from '../../api/production';
import { serverFieldErrors, type FormResult } from './entry-forms';

interface EntryFormOptions<F extends object, B, R> {
  initial: () => F;
  toBody: (form: F) => FormResult<F, B>;
  /** Sends the body with an Idempotency-Key that stays the same while the same entry is re-sent after a lost answer. */
  send: (body: B, idempotencyKey: string) => Promise<R>;
  /** The body's field names (levelM...) mapped onto the form's inputs (level...), for the server's field errors. */
  aliases: Readonly<Record<string, keyof F & string>>;
  /** What the form keeps after a save (the picked tank stays picked for the next gauge). */
  keepAfterSave: (saved: F) => F;
  onSaved?: (recorded: R) => void;
}

/**
 * State, browser-side checks, the request and the server's field errors of one
 * entry form; every entry list of the site is refreshed after a save.
 */
export function useEntryForm<F extends object, B, R>(options: EntryFormOptions<F, B, R>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<F>(options.initial);
  const [errors, setErrors] = useState<Partial<Record<keyof F, string>>>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const submission = useRef<Submission | null>(null);

  const mutation = useMutation({
    mutationFn: ({ body, key }: { body: B; key: string }) => options.send(body, key),
    onSuccess: async (recorded) => {
      // The next entry is a new one, even with the same values (a second identical gauge).
      submission.current = null;
      setForm((current) => options.keepAfterSave(current));
      options.onSaved?.(recorded);
      await queryClient.invalidateQueries({ queryKey: productionKeys.all });
    },
    onError: (error) => {
      // The server answered (4xx): a re-send is a new attempt. No answer or a 5xx: keep the key, so
      // re-sending the same entry replays the first outcome instead of recording it twice.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) submission.current = null;
      if (!(error instanceof ApiError) || error.status !== 400) return;
      const found = serverFieldErrors(error.details, options.aliases);
      setErrors(found.fields as Partial<Record<keyof F, string>>);
      setOtherErrors(found.other);
    },
  });

  const set = <K extends keyof F>(key: K, value: F[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    // The verdict on an input no longer applies once it is edited.
    setErrors((current) => ({ ...current, [key]: undefined }));
  };

  /** What an input needs to show and edit one field: its value, the setter and the verdict on it. */
  const field = <K extends keyof F>(key: K) => ({
    value: form[key],
    onChange: (value: F[K]) => set(key, value),
    error: errors[key],
  });

  const submit = () => {
    const result = options.toBody(form);
    if ('errors' in result) {
      const messages: Partial<Record<keyof F, string>> = {};
      for (const name of Object.keys(result.errors) as (keyof F)[]) {
        const error = result.errors[name];
        if (error !== undefined) messages[name] = t(`production.inputErrors.${error}`);
      }
      setErrors(messages);
      return;
    }
    setErrors({});
    setOtherErrors([]);
    mutation.reset();
    submission.current = keyForSubmission(submission.current, result.body);
    mutation.mutate({ body: result.body, key: submission.current.key });
  };

  // A 400 whose every complaint sits next to its input needs no banner as well.
  const onInputsOnly =
    mutation.error instanceof ApiError &&
    mutation.error.status === 400 &&
    otherErrors.length === 0 &&
    Object.values(errors).some(Boolean);

  return {
    form,
    set,
    field,
    submit,
    mutation,
    /** Shown in a banner: a failure that no input explains. */
    failure: mutation.isError && !onInputsOnly ? { error: mutation.error, lines: otherErrors } : null,
  };
}
