<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AcceptorPanel</name>
    <message>
      <location filename="../../ui/panels/acceptor_panel.py" line="24" />
      <source>New reports</source>
      <translation>新上报</translation>
    </message>
    <message>
      <location filename="../../ui/panels/acceptor_panel.py" line="34" />
      <source>Verification replies</source>
      <translation>核实回复</translation>
    </message>
    <message>
      <location filename="../../ui/panels/acceptor_panel.py" line="43" />
      <source>Handled, to check</source>
      <translation>已处置待核查</translation>
    </message>
    <message>
      <location filename="../../ui/panels/acceptor_panel.py" line="50" />
      <source>All my cases</source>
      <translation>我的全部案卷</translation>
    </message>
    <message>
      <location filename="../../ui/panels/acceptor_panel.py" line="54" />
      <source>New case from a call…</source>
      <translation>来电新建案卷…</translation>
    </message>
    <message>
      <location filename="../../ui/panels/acceptor_panel.py" line="57" />
      <source>New case from a call (Ctrl+N)</source>
      <translation>来电新建案卷 (Ctrl+N)</translation>
    </message>
  </context>
  <context>
    <name>ActionDialog</name>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="81" />
      <source>{action} — case {number}</source>
      <extracomment>Actions whose service refuses an empty note (checked here first, to say so at once). Actions whose service takes photos (the field's reply, the department's result).</extracomment>
      <translation>{action} — 案卷 {number}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="96" />
      <source>Photos:</source>
      <translation>照片：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="103" />
      <source>Required</source>
      <translation>必填</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="103" />
      <source>Optional</source>
      <translation>选填</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="105" />
      <source>Note:</source>
      <translation>说明：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="105" />
      <source>Note (required):</source>
      <translation>说明（必填）：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="134" />
      <source>Please write a note: this action needs one.</source>
      <translation>请填写说明：此操作必须填写。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="200" />
      <source>{who} changed case {number} at {when}. It has been reloaded: check it, then confirm again.</source>
      <translation>{who} 已于 {when} 修改了案卷 {number}，已重新载入：请核对后再次确认。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/action_dialog.py" line="229" />
      <source>The case is now {state}; this action no longer applies.</source>
      <translation>案卷现为“{state}”，此操作已不适用。</translation>
    </message>
  </context>
  <context>
    <name>CaseDetailWidget</name>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="96" />
      <location filename="../../ui/widgets/case_detail.py" line="196" />
      <source>Select a case</source>
      <extracomment>A shortcut for every action; the detail's buttons and the panels' menus share them.</extracomment>
      <translation>请选择案卷</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="107" />
      <source>Case</source>
      <translation>案卷</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="111" />
      <source>Photos</source>
      <translation>照片</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="115" />
      <source>Timeline</source>
      <translation>办理过程</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="120" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="120" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="120" />
      <source>By</source>
      <translation>操作人</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="120" />
      <location filename="../../ui/widgets/case_detail.py" line="213" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="120" />
      <source>Note</source>
      <translation>说明</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="212" />
      <source>Number</source>
      <translation>案卷编号</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="214" />
      <source>Source</source>
      <translation>问题来源</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="215" />
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="216" />
      <source>Category</source>
      <translation>问题类别</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="217" />
      <source>Urgency</source>
      <translation>紧急程度</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="218" />
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="219" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="220" />
      <source>Location</source>
      <translation>位置</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="221" />
      <source>Grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="222" />
      <source>Reporter</source>
      <translation>上报人</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="223" />
      <source>Department</source>
      <translation>处置部门</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="224" />
      <source>Deadline</source>
      <translation>时限</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="225" />
      <source>Deadline status</source>
      <translation>时限状态</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="226" />
      <source>Pending request</source>
      <translation>待审批申请</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="227" />
      <source>Rework / extensions</source>
      <translation>返工 / 延期次数</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="228" />
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="229" />
      <source>Last change</source>
      <translation>最后修改</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="241" />
      <source>extension until {deadline}</source>
      <translation>延期至 {deadline}</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="242" />
      <source>return</source>
      <translation>回退</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="243" />
      <source>postponement until {resume_on}</source>
      <translation>缓办至 {resume_on}</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="290" />
      <source>Created</source>
      <translation>创建</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="298" />
      <source>Deadline light</source>
      <translation>亮灯</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="299" />
      <source>Deadline recomputed</source>
      <translation>时限重算</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_detail.py" line="305" />
      <source>System</source>
      <translation>系统</translation>
    </message>
  </context>
  <context>
    <name>CaseQueueWidget</name>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="94" />
      <source>Search number, address, description (Ctrl+F)</source>
      <extracomment>Column widths before the person sets their own (then remembered per user). Coalesces bursts of notifications into one re-read.</extracomment>
      <translation>搜索编号、地址、描述 (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="97" />
      <source>All states</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="101" />
      <source>All categories</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="110" />
      <source>Grid code</source>
      <translation>网格编码</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="113" />
      <source>All departments</source>
      <translation>全部部门</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="116" />
      <source>All sources</source>
      <translation>全部来源</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="118" />
      <source>Any deadline</source>
      <translation>全部时限状态</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="120" />
      <source>Normal</source>
      <translation>正常</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="121" />
      <source>Near deadline</source>
      <translation>临期（黄灯）</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="122" />
      <source>Overdue</source>
      <translation>超期（红灯）</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="297" />
      <source>, more below</source>
      <translation>，下方还有更多</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="298" />
      <source>{n} cases{more}</source>
      <translation>{n} 件案卷{more}</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/case_queue.py" line="299" />
      <source> — loading…</source>
      <translation> — 加载中…</translation>
    </message>
  </context>
  <context>
    <name>CaseTableModel</name>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="177" />
      <source>Deadline: {when}</source>
      <extracomment>The data role that carries the row's ``CaseRow``. The service's sort key behind a column; a column without one is not sortable. Rows received from the database, and how many reads brought them.</extracomment>
      <translation>时限：{when}</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="289" />
      <source>Normal</source>
      <translation>正常</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="290" />
      <source>Near deadline</source>
      <translation>临期（黄灯）</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="291" />
      <source>Overdue</source>
      <translation>超期（红灯）</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="296" />
      <source>Number</source>
      <translation>案卷编号</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="297" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="298" />
      <source>Deadline</source>
      <translation>时限</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="299" />
      <source>Time left</source>
      <translation>剩余时间</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="300" />
      <source>Category</source>
      <translation>问题类别</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="301" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="302" />
      <source>Grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="303" />
      <source>Department</source>
      <translation>处置部门</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="304" />
      <source>Source</source>
      <translation>问题来源</translation>
    </message>
  </context>
  <context>
    <name>DeadlinePart</name>
    <message>
      <location filename="../../ui/dialogs/deadline_part.py" line="43" />
      <source>computing…</source>
      <translation>计算中…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/deadline_part.py" line="60" />
      <source>this action sets no new deadline</source>
      <translation>此操作不设新的时限</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/deadline_part.py" line="63" />
      <source>computed from the time-limit standard</source>
      <translation>按时限标准计算</translation>
    </message>
  </context>
  <context>
    <name>DispatchDialog</name>
    <message>
      <location filename="../../ui/dialogs/dispatch_dialog.py" line="42" />
      <source>— choose —</source>
      <translation>— 请选择 —</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/dispatch_dialog.py" line="47" />
      <source>Department:</source>
      <translation>处置部门：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/dispatch_dialog.py" line="49" />
      <source>Deadline:</source>
      <translation>处置时限：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/dispatch_dialog.py" line="53" />
      <source>Choose the department that will handle the case.</source>
      <translation>请选择处置部门。</translation>
    </message>
  </context>
  <context>
    <name>DispatcherPanel</name>
    <message>
      <location filename="../../ui/panels/dispatcher_panel.py" line="30" />
      <source>To dispatch</source>
      <extracomment>Dispatched and still with the department: what the dispatcher follows up.</extracomment>
      <translation>待派遣</translation>
    </message>
    <message>
      <location filename="../../ui/panels/dispatcher_panel.py" line="36" />
      <source>Returned</source>
      <translation>已回退</translation>
    </message>
    <message>
      <location filename="../../ui/panels/dispatcher_panel.py" line="42" />
      <source>Dispatched</source>
      <translation>已派遣</translation>
    </message>
  </context>
  <context>
    <name>ExtensionDialog</name>
    <message>
      <location filename="../../ui/dialogs/request_dialogs.py" line="19" />
      <source>New deadline:</source>
      <translation>新的时限：</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="55" />
      <source>seatdesk — log in</source>
      <translation>智慧城管坐席 — 登录</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="58" />
      <source>Digital city management seat</source>
      <translation>数字化城市管理坐席</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="67" />
      <source>&amp;User name:</source>
      <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="68" />
      <source>&amp;Password:</source>
      <translation>密码(&amp;P)：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="70" />
      <location filename="../../ui/dialogs/login_dialog.py" line="128" />
      <source>Starting the database…</source>
      <translation>正在启动数据库…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="83" />
      <source>Log in</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="85" />
      <source>Retry connecting</source>
      <translation>重新连接</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="109" />
      <source>Enter your user name and password.</source>
      <translation>请输入用户名和密码。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="141" />
      <source>Database: {where}</source>
      <translation>数据库：{where}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="149" />
      <source>The database is not available.</source>
      <translation>数据库不可用。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/login_dialog.py" line="177" />
      <source>Too many failed logins in a row: try again in {seconds} s.</source>
      <translation>连续登录失败次数过多，请在 {seconds} 秒后重试。</translation>
    </message>
  </context>
  <context>
    <name>LockDialog</name>
    <message>
      <location filename="../../ui/dialogs/lock_dialog.py" line="62" />
      <source>seatdesk — locked</source>
      <translation>智慧城管坐席 — 已锁定</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/lock_dialog.py" line="68" />
      <source>The desk was locked after a time without use. Enter the password of {name} ({login}) to go on; what you typed is kept.</source>
      <translation>坐席长时间无操作，已自动锁定。请输入 {name}（{login}）的密码继续；已填写的内容均已保留。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/lock_dialog.py" line="79" />
      <source>&amp;Password:</source>
      <translation>密码(&amp;P)：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/lock_dialog.py" line="90" />
      <source>Unlock</source>
      <translation>解锁</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/lock_dialog.py" line="150" />
      <source>Too many failed attempts in a row: try again in {seconds} s.</source>
      <translation>连续验证失败次数过多，请在 {seconds} 秒后重试。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../ui/main_window.py" line="68" />
      <source>seatdesk — {name} ({roles})</source>
      <extracomment>The order of the role tabs (a user holding several starts with the first).</extracomment>
      <translation>智慧城管坐席 — {name}（{roles}）</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="98" />
      <source>Database: {where}</source>
      <translation>数据库：{where}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="112" />
      <location filename="../../ui/main_window.py" line="204" />
      <source>connecting…</source>
      <translation>连接中…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="116" />
      <source>Find</source>
      <translation>查找</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="119" />
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="191" />
      <source>● live</source>
      <translation>● 在线</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="195" />
      <source>● reconnecting…</source>
      <translation>● 重新连接中…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="200" />
      <source>The connection to the database was lost ({reason}). Reconnecting by itself; what you typed is kept.</source>
      <translation>与数据库的连接已断开（{reason}）。正在自动重连，已填写的内容会保留。</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="202" />
      <source>no answer</source>
      <translation>无响应</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="100" />
      <source>Map</source>
      <translation>地图</translation>
    </message>
  </context>
  <context>
    <name>MapPane</name>
    <message>
      <location filename="../../ui/widgets/map_pane.py" line="60" />
      <source>The map is not available in this installation.</source>
      <translation>此安装中地图不可用。</translation>
    </message>
  </context>
  <context>
    <name>MapView</name>
    <message>
      <location filename="../../ui/map/map_view.py" line="117" />
      <source>Unit grids</source>
      <extracomment>A case marker was clicked: the case id. A point was picked after ``start_pick()``: longitude, latitude. The page is loaded and its channel connected; queued calls have been sent. A layer finished painting: "grids" or "cases", how many, milliseconds in the page.</extracomment>
      <translation>单元网格</translation>
    </message>
    <message>
      <location filename="../../ui/map/map_view.py" line="118" />
      <source>Community and street boundaries</source>
      <translation>社区和街道边界</translation>
    </message>
    <message>
      <location filename="../../ui/map/map_view.py" line="119" />
      <source>Grid codes</source>
      <translation>网格编码</translation>
    </message>
    <message>
      <location filename="../../ui/map/map_view.py" line="120" />
      <source>Cases</source>
      <translation>案卷数</translation>
    </message>
    <message>
      <location filename="../../ui/map/map_view.py" line="121" />
      <source>Case density</source>
      <translation>案卷密度</translation>
    </message>
  </context>
  <context>
    <name>MergeDialog</name>
    <message>
      <location filename="../../ui/dialogs/merge_dialog.py" line="15" />
      <source>Number of the original case</source>
      <translation>原案卷编号</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/merge_dialog.py" line="16" />
      <source>Original case:</source>
      <translation>原案卷：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/merge_dialog.py" line="20" />
      <source>Enter the number of the case this report repeats.</source>
      <translation>请输入本报告重复的原案卷编号。</translation>
    </message>
  </context>
  <context>
    <name>NewCaseDialog</name>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="54" />
      <source>New case from a call</source>
      <extracomment>The centre's default map position (the demo county), for a call without coordinates.</extracomment>
      <translation>来电新建案卷</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="63" />
      <source>Source:</source>
      <translation>问题来源：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="66" />
      <source>Type a name or a code, e.g. 井盖 or 0101</source>
      <translation>输入名称或编码，如 井盖 或 0101</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="72" />
      <source>Category:</source>
      <translation>问题类别：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="75" />
      <source>— choose a category first —</source>
      <translation>— 请先选择问题类别 —</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="76" />
      <source>Filing condition:</source>
      <translation>立案条件：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="81" />
      <source>Urgency:</source>
      <translation>紧急程度：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="86" />
      <source>Description:</source>
      <translation>问题描述：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="89" />
      <source>Address:</source>
      <translation>地址：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="91" />
      <source>Coordinates</source>
      <translation>坐标</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="95" />
      <source>lon</source>
      <translation>经度</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="97" />
      <source>lat</source>
      <translation>纬度</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="99" />
      <source>Location:</source>
      <translation>位置：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="102" />
      <source>15-digit grid code, if known</source>
      <translation>15位单元网格编码（如已知）</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="103" />
      <source>Grid:</source>
      <translation>单元网格：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="108" />
      <source>phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="110" />
      <source>Caller:</source>
      <translation>来电人：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="112" />
      <source>Photos:</source>
      <translation>照片：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="124" />
      <source>Create case</source>
      <translation>创建案卷</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="190" />
      <source>— not decided yet —</source>
      <translation>— 暂不确定 —</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="210" />
      <source>Choose a category from the list.</source>
      <translation>请从列表中选择问题类别。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="212" />
      <source>Describe the problem.</source>
      <translation>请描述问题。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="214" />
      <source>Give an address or coordinates.</source>
      <translation>请填写地址或坐标。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="217" />
      <source>A grid code has 15 digits.</source>
      <translation>单元网格编码为15位数字。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="109" />
      <source>Pick on map</source>
      <translation>在地图上选点</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="114" />
      <source>The map is not available.</source>
      <translation>地图不可用。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/new_case_dialog.py" line="216" />
      <source>Click the place on the map (Esc cancels).</source>
      <translation>请在地图上点击位置（Esc 取消）。</translation>
    </message>
  </context>
  <context>
    <name>PhotoPicker</name>
    <message>
      <location filename="../../ui/widgets/photo_picker.py" line="40" />
      <source>Add photos…</source>
      <translation>添加照片…</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/photo_picker.py" line="41" />
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/photo_picker.py" line="68" />
      <source>The file {name} no longer exists.</source>
      <translation>文件 {name} 已不存在。</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/photo_picker.py" line="70" />
      <source>The file {name} is larger than {mb} MB.</source>
      <translation>文件 {name} 超过 {mb} MB。</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/photo_picker.py" line="84" />
      <source>Choose photos</source>
      <translation>选择照片</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/photo_picker.py" line="86" />
      <source>Images (*.jpg *.jpeg *.png *.bmp *.gif *.webp);;All files (*)</source>
      <translation>图片 (*.jpg *.jpeg *.png *.bmp *.gif *.webp);;所有文件 (*)</translation>
    </message>
  </context>
  <context>
    <name>PhotoViewer</name>
    <message>
      <location filename="../../ui/dialogs/photo_viewer.py" line="32" />
      <source>Photo</source>
      <translation>照片</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/photo_viewer.py" line="35" />
      <source>Loading…</source>
      <translation>加载中…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/photo_viewer.py" line="41" />
      <source>{step} · uploaded by {who} at {when}</source>
      <translation>{step} · {who} 于 {when} 上传</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/photo_viewer.py" line="56" />
      <source>This photo cannot be shown.</source>
      <translation>无法显示这张照片。</translation>
    </message>
  </context>
  <context>
    <name>PostponementDialog</name>
    <message>
      <location filename="../../ui/dialogs/request_dialogs.py" line="29" />
      <source>Resume on:</source>
      <translation>恢复日期：</translation>
    </message>
  </context>
  <context>
    <name>PreRegisterDialog</name>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="58" />
      <source>loading…</source>
      <translation>加载中…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="59" />
      <source>Filing condition:</source>
      <translation>立案条件：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="63" />
      <source>Looking for reports within 50 m…</source>
      <translation>正在查找50米内的报告…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="68" />
      <source>Number</source>
      <translation>案卷编号</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="68" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="68" />
      <source>Distance</source>
      <translation>距离</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="68" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="69" />
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="73" />
      <source>Merge into the selected case</source>
      <translation>合并到所选案卷</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="80" />
      <source>Possible duplicates:</source>
      <translation>可能重复：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="84" />
      <source>Choose the filing condition the report meets.</source>
      <translation>请选择该问题符合的立案条件。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="94" />
      <source>— choose —</source>
      <translation>— 请选择 —</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="104" />
      <source>No open report of this category within 50 m.</source>
      <translation>50米内没有同类别的在办报告。</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/pre_register_dialog.py" line="107" />
      <source>{n} open reports of this category within 50 m:</source>
      <translation>50米内有 {n} 件同类别在办报告：</translation>
    </message>
  </context>
  <context>
    <name>QueuePanel</name>
    <message>
      <location filename="../../ui/panels/queue_panel.py" line="50" />
      <source>My queue</source>
      <translation>我的待办</translation>
    </message>
  </context>
  <context>
    <name>RejectDialog</name>
    <message>
      <location filename="../../ui/dialogs/reject_dialog.py" line="18" />
      <source>Not a city management matter</source>
      <translation>不属于城管范围</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/reject_dialog.py" line="19" />
      <source>Duplicate report</source>
      <translation>重复上报</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/reject_dialog.py" line="20" />
      <source>False report</source>
      <translation>虚假上报</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/reject_dialog.py" line="21" />
      <source>Not enough information</source>
      <translation>信息不全</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/reject_dialog.py" line="25" />
      <source>— choose —</source>
      <translation>— 请选择 —</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/reject_dialog.py" line="28" />
      <source>Reason:</source>
      <translation>原因：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/reject_dialog.py" line="32" />
      <source>Choose the reason for refusing the report.</source>
      <translation>请选择不予立案的原因。</translation>
    </message>
  </context>
  <context>
    <name>ReworkDialog</name>
    <message>
      <location filename="../../ui/dialogs/dispatch_dialog.py" line="76" />
      <source>Department:</source>
      <translation>处置部门：</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/dispatch_dialog.py" line="78" />
      <source>New deadline:</source>
      <translation>新的时限：</translation>
    </message>
  </context>
  <context>
    <name>ShiftLeaderPanel</name>
    <message>
      <location filename="../../ui/panels/shift_leader_panel.py" line="27" />
      <source>To register</source>
      <translation>待立案</translation>
    </message>
    <message>
      <location filename="../../ui/panels/shift_leader_panel.py" line="33" />
      <source>To close</source>
      <translation>待结案</translation>
    </message>
    <message>
      <location filename="../../ui/panels/shift_leader_panel.py" line="42" />
      <source>Requests to authorize</source>
      <translation>待审批申请</translation>
    </message>
    <message>
      <location filename="../../ui/panels/shift_leader_panel.py" line="49" />
      <source>Shift overview</source>
      <translation>班次概况</translation>
    </message>
  </context>
  <context>
    <name>ShiftOverviewWidget</name>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="62" />
      <source>Near deadline</source>
      <extracomment>Shifts change at 08:00 and 20:00 (the centre's two 12-hour shifts).</extracomment>
      <translation>临期（黄灯）</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="63" />
      <source>Overdue</source>
      <translation>超期（红灯）</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="71" />
      <source>Open cases per state</source>
      <translation>各状态在办案卷</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="72" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="72" />
      <source>Cases</source>
      <translation>案卷数</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="73" />
      <source>Actions per seat this shift</source>
      <translation>本班各坐席操作数</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="74" />
      <source>Seat</source>
      <translation>坐席</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="74" />
      <source>Actions</source>
      <translation>操作数</translation>
    </message>
    <message>
      <location filename="../../ui/widgets/shift_overview.py" line="119" />
      <source>Shift since {when}</source>
      <translation>本班自 {when} 起</translation>
    </message>
  </context>
</TS>