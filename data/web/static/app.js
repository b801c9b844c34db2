// smartv4 — small progressive enhancements. Every page works without this file.
(function () {
  'use strict';
  // Facet checkboxes and the sort menu submit their search form at once.
  document.querySelectorAll('form.search').forEach(function (form) {
    form.addEventListener('change', function (ev) {
      var t = ev.target;
      if ((t.type === 'checkbox' && t.closest('.facet')) || t.classList.contains('autosubmit')) {
        var page = form.querySelector('input[name=page]');
        if (page) page.remove();
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
    var apply = form.querySelector('.apply');
    if (apply) apply.classList.add('secondary');
  });
  // A "copy" button beside the Atom feed link puts the feed's full URL on the clipboard.
  document.querySelectorAll('a[data-copy]').forEach(function (a) {
    if (!navigator.clipboard) return;
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'small secondary copy';
    b.textContent = a.getAttribute('data-copy');
    b.addEventListener('click', function () {
      navigator.clipboard.writeText(new URL(a.getAttribute('href'), location.href).href).then(function () {
        var label = b.textContent;
        b.textContent = '✓';
        setTimeout(function () { b.textContent = label; }, 1500);
      });
    });
    a.after(b);
  });
  // Show the chosen file's name next to the classify form's submit button.
  var file = document.querySelector('input[type=file][name=file]');
  if (file) {
    file.addEventListener('change', function () {
      var out = document.getElementById('file-chosen');
      if (out) out.textContent = file.files.length ? file.files[0].name : '';
    });
  }
})();
