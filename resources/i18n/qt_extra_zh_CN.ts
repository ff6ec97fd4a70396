<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own words that the qtbase_zh_CN.qm shipped with PySide6 leaves in English
     (its catalogue predates the mnemonics Qt 6 added to the file dialog). Loaded after
     Qt's catalogues by ui/i18n.py; kept by hand, not by update_translations.py. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
</TS>
