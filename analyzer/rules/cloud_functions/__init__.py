"""LE709: a cloud function (or hook) registered twice on one `leancloud.Engine`.

The SDK keeps an Engine's cloud functions in one dict and raises RuntimeError when a name is
registered again (`register_cloud_func` in leancloud/engine/leanengine.py), which happens while the
module holding the registration is imported: the app does not start and the deploy fails. Hooks
raise the same way (`register_cloud_hook`, `register_on_login`...). Only registrations that run on
import are compared (module level, also inside `try` / `with`, not in functions, branches or loops),
and only on the same Engine object, followed through imports of project modules."""
