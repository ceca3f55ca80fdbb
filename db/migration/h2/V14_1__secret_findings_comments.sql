-- The comment of v_secret_findings (V14), in the words of docs/views.md; H2 refuses comments on a view's columns.
comment on view v_secret_findings is 'One row per secret found in a session''s text: where it is in the stored text, which rule found it and a fingerprint of it, never the secret.';
