"""Uploaded documents: checked by content and size, kept through Django's storage API outside
the web root, served only through a permission check under an unguessable id.

- `models`: the `Document` record (its file lives in the "documents" storage, never in a
  public folder);
- `checks`: the one function that decides whether an upload is accepted (`check_upload`);
- `services`: upload and removal, audited;
- `access`: who may see which document (404 for everyone else);
- `views`: the download view.
"""
