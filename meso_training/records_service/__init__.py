"""The course's records service: a JupyterHub service, the one process that talks to the cohort's database.

Trainees' kernels record and read attempts through it with their own hub token
(``storage.hub_store``); it checks with the hub who they are, lets each read and write only
their own records (instructors with ``custom:meso-training:cohort:read`` read the cohort), and
grades every answer again against the course it loaded. ``app.serve`` runs it;
``meso-training serve-records`` is the command a hub's ``c.JupyterHub.services`` starts
(docs/deployment.md). Its JSON API, under the service's prefix (``/services/<name>/``):

* ``GET api/attempts`` (``?trainee=``, ``?module=``): the attempts the user may read (their own;
  everyone's with the cohort scope). ``POST api/attempts`` ``{"attempts": [...]}``: a batch of the
  user's own attempts in their stored form, re-graded and kept all or none; ``{"added": n}``.
* ``GET api/cohort/attempts``: every trainee's, for the cohort scope only. ``GET api/trainees``.
* ``GET``/``PUT api/settings/<key>``: the user's own small settings.
* ``GET``/``POST api/certificates``, ``GET api/certificates/<code>``: the user's certificates.
* ``GET api/health``: up or not, without a login.

Every refusal is ``{"error": "..."}`` with 400 (bad request), 403 (not yours, no token), 404,
409 (the question changed since the notebook loaded it), 413 (too large) or 503 (the database
is away: the kernel keeps the answers and sends them again).
"""
