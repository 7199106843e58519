"""Fold each table page's list of column descriptions into a closed <details> element.

Datasette 0.65 prints every column description above the rows; on the claims table that
is a screenful before the first row. Folded, the rows come first and the descriptions are
one click away.
"""

from datasette import hookimpl

FOLD = """
document.querySelectorAll("dl.column-descriptions").forEach(function (list) {
  var details = document.createElement("details");
  details.className = "column-descriptions-fold";
  var summary = document.createElement("summary");
  summary.textContent = "What the columns mean";
  details.appendChild(summary);
  list.parentNode.insertBefore(details, list);
  details.appendChild(list);
});
"""


@hookimpl
def extra_body_script(view_name):
    if view_name == "table":
        return FOLD
    return None
