// Streamlit's own words in Chinese: the status and connection messages, dialogs, the main menu, widget hints.
// lingyi/access/web.py puts this script into the page's <head>, so it runs before Streamlit draws anything (even while the
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
    // Screen readers read these: leaders' offices use them too.
    ["App pages", "页面列表"],
    ["Sidebar", "侧栏"],
    ["Collapse sidebar", "收起侧栏"],
    ["Expand sidebar", "展开侧栏"],
    ["Open", "展开"],
    ["Show/hide columns", "显示或隐藏列"],
    ["Choose date", "选择日期"],
    ["Choose a date", "选择日期"],
    ["Increment", "加一"],
    ["Decrement", "减一"],
    ["Previous month", "上个月"],
    ["Next month", "下个月"],
    ["Previous year", "上一年"],
    ["Next year", "下一年"],
    ["Clear value", "清除"],
    ["Clear", "清除"],
    ["Select all", "全选"],
    ["Open menu", "打开菜单"],
    ["Copy to clipboard", "复制"],
    ["Copy column name", "复制列名"],
    ["Dismiss", "关闭"],
    ["file upload", "上传文件"],
    ["Add files", "添加文件"],
    ["Add file", "添加文件"],
    ["Copy version to clipboard", "复制版本号"],
    ["Use arrow keys to navigate dates. Enter to select. Escape to close.", "用方向键选择日期，回车确认，Esc 关闭。"],
    ["Dataframe column menu", "列菜单"],
    // A data table's column menu and search.
    ["Sort ascending", "升序排列"],
    ["Sort descending", "降序排列"],
    ["Statistics", "统计"],
    ["Autosize", "自动列宽"],
    ["Pin column", "固定此列"],
    ["Unpin column", "取消固定"],
    ["Hide column", "隐藏此列"],
    ["Format", "格式"],
    ["(index)", "（序号）"],
    ["Search...", "搜索…"],
    ["Type to search", "输入以搜索"],
    ["Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:", "看板服务器已停止响应，请稍后刷新页面；如仍无法打开，请联系管理员。"],
  ]);
  const PATTERNS = [
    [/^This app has encountered an error\b.*$/s, "页面出错了，详情已记入服务器日志。请刷新页面重试；如仍出错，请联系管理员。"],
    [/^Made with Streamlit.*$/s, ""],
    [/^Limit (\d+(?:\.\d+)?)\s*MB per file(.*)$/s, "每个文件不超过 $1 MB$2"],
    [/^(\d+(?:\.\d+)?)\s*MB per file(.*)$/s, "每个文件不超过 $1 MB$2"],
    [/^View (\d+) more$/, "展开其余 $1 项"],
    [/^Show (\d+) more$/, "展开其余 $1 项"],
    [/^Help for (.+)$/s, "$1：说明"],
    [/^[a-z_]+ icon$/, "图标"],
    [/^Add: (.*)$/s, "添加：$1"],
    [/^Remove (.+)$/s, "移除 $1"],
    [/^(\d+) results?$/, "$1 条结果"],
    [/^(\d+) options? available\.?$/, "共 $1 个选项"],
    [/^No options? available\.?$/, "没有可选项"],
    [/^Selected Date: (.*)$/s, "已选日期：$1"],
    [/^Selected date: (.*)$/s, "已选日期：$1"],
    [/^(day|month|year), (.*)$/s, (_, part, label) => `${{ day: "日", month: "月", year: "年" }[part]}，${label}`],
    [/^Choose (?:a )?date, (.*)$/s, "选择日期，$1"],
    [/^(\d+) – (January|February|March|April|May|June|July|August|September|October|November|December)$/, "$1月"],
  ];
  const ATTRIBUTES = ["placeholder", "aria-label", "aria-valuetext", "title", "data-title"];

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
