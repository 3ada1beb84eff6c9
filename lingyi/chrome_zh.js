// Streamlit's own words in Chinese: the status and connection messages, dialogs, the main menu, widget hints.
// lingyi/web.py puts this script into the page's <head>, so it runs before Streamlit draws anything (even while the
// page is still connecting) and keeps running when the connection is lost. Our own words are Chinese already;
// this only rewrites text that is exactly one of Streamlit's, in text nodes and in visible attributes.
(() => {
  const EXACT = new Map([
    ["Running...", "正在运行…"],
    ["Stop", "停止"],
    ["Rerun", "重新运行"],
    ["Please wait...", "请稍候…"],
    ["Connecting", "正在连接"],
    ["Connection error", "连接中断"],
    ["Streamlit server is not responding. Are you connected to the internet?", "看板服务器没有响应，请检查网络或联系管理员。"],
    ["Page not found", "没有这个页面"],
    ["The page that you have requested does not seem to exist. Running the app's main page.", "您打开的页面不存在，已为您打开首页。"],
    ["Skip to main content", "跳到正文"],
    ["Main menu", "主菜单"],
    ["Choose an option", "请选择"],
    ["Choose options", "请选择"],
    ["No results", "没有匹配项"],
    ["Clear all", "全部清除"],
    ["Remove", "移除"],
    ["Print", "打印"],
    ["Record screen", "录制屏幕"],
    ["Stop recording", "停止录制"],
    ["Clear cache", "清除缓存"],
    ["Settings", "设置"],
    ["About", "关于"],
    ["Close", "关闭"],
    ["Error", "错误"],
    ["Search", "搜索"],
    ["Download as CSV", "下载 CSV"],
    ["Fullscreen", "全屏"],
    ["Close fullscreen", "退出全屏"],
    ["Show password", "显示明文"],
    ["Hide password", "隐藏明文"],
    ["Show password text", "显示明文"],
    ["Hide password text", "隐藏明文"],
    ["Press Enter to apply", "按回车键确认"],
    ["Press Enter to submit form", "按回车键提交"],
    ["Browse files", "选择文件"],
    ["Upload", "上传"],
    ["Drag and drop files here", "或把文件拖到这里"],
    ["Drag and drop file here", "或把文件拖到这里"],
    ["View less", "收起"],
    ["Show less", "收起"],
  ]);
  const PATTERNS = [
    [/^This app has encountered an error\b.*$/s, "页面出错了，详情已记入服务器日志。请刷新页面重试；如仍出错，请联系管理员。"],
    [/^Made with Streamlit.*$/s, ""],
    [/^Limit (\d+(?:\.\d+)?)\s*MB per file(.*)$/s, "每个文件不超过 $1 MB$2"],
    [/^(\d+(?:\.\d+)?)\s*MB per file(.*)$/s, "每个文件不超过 $1 MB$2"],
    [/^View (\d+) more$/, "展开其余 $1 项"],
    [/^Show (\d+) more$/, "展开其余 $1 项"],
  ];
  const ATTRIBUTES = ["placeholder", "aria-label", "title", "data-title"];

  const chinese = (text) => {
    const trimmed = text.trim();
    if (!trimmed || !/[A-Za-z]/.test(trimmed)) return null;
    if (EXACT.has(trimmed)) return EXACT.get(trimmed);
    for (const [pattern, replacement] of PATTERNS) {
      if (pattern.test(trimmed)) return trimmed.replace(pattern, replacement);
    }
    return null;
  };

  const translateAttributes = (element) => {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const zh = value === null ? null : chinese(value);
      if (zh !== null) element.setAttribute(name, zh);
    }
  };

  const translate = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const zh = chinese(node.nodeValue);
      if (zh !== null) node.nodeValue = zh;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    translateAttributes(node);
    for (const child of node.childNodes) translate(child);
  };

  // The main menu's 「Made with Streamlit v1.67.0」 and its copy button: a product's name is nothing for a leader.
  const style = document.createElement("style");
  style.textContent = ":has(> :has(> .stMenuVersionCopyButton)) { display: none !important; }";
  document.head.appendChild(style);

  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(translate);
      else if (record.type === "attributes") translateAttributes(record.target);
      else translate(record.target);
    }
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  translate(document.documentElement);
})();
