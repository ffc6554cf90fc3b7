// Tells the server the reader's time zone (an IANA name such as "Asia/Shanghai"), so the pages write dates in local
// time: browsers send no header for it. Set only when missing or changed, for a year, readable by the server alone.
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  const name = 'tessera.time-zone';
  const current = document.cookie.split('; ').find(c => c.startsWith(name + '='));
  if (current && decodeURIComponent(current.slice(name.length + 1)) === zone) return;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = name + '=' + encodeURIComponent(zone) + '; Path=/; Max-Age=31536000; SameSite=Lax' + secure;
})();
