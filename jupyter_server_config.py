"""Jupyter server settings for the course: ``make start`` passes this file with ``--config``.

Voila inside JupyterLab (``/voila/render/...``) runs on this server's kernels and so follows
them too. Voila started on its own has its own kernel manager and reads ``voila.json`` from
the folder it is started in: that file holds the same kernel settings (JSON has no comments:
the reasons are here), and ``tests/test_kernel_culling.py`` checks that the two agree.
"""

c = get_config()  # noqa: F821 - traitlets defines get_config() for the config files it loads

# Kernels. Opening a notebook starts a kernel, and closing its tab or the browser does not
# stop it; a Voila page that is reloaded or closed before it can say goodbye leaves its
# kernel behind too. Without culling, a trainee working through the course keeps one kernel
# (and its memory) per notebook ever opened, until the server stops.
#
# A kernel idle for 30 minutes is shut down. Every click on Submit, Next or Show summary is
# kernel activity and reading a case takes minutes, so half an hour without a click means the
# trainee has left. Nothing is lost: every answer is saved when it is given, and running the
# notebook again (JupyterLab: Kernel > Restart Kernel and Run All Cells; Voila: reload the
# page) resumes the module where it was left.
c.MappingKernelManager.cull_idle_timeout = 30 * 60
# Look once a minute: a kernel goes at most a minute after its half hour, and a look is cheap.
c.MappingKernelManager.cull_interval = 60
# Also cull a kernel whose notebook is still open: JupyterLab tabs stay open for days, and an
# open tab nobody has clicked in for half an hour is a kernel nobody is using.
c.MappingKernelManager.cull_connected = True
# Never cut short a cell that is still running.
c.MappingKernelManager.cull_busy = False
