<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AcceptorPanel</name>
    <message>
        <source>New reports</source>
        <translation>新上报</translation>
    </message>
    <message>
        <source>Verification replies</source>
        <translation>核实回复</translation>
    </message>
    <message>
        <source>Handled, to check</source>
        <translation>已处置待核查</translation>
    </message>
    <message>
        <source>To place</source>
        <translation>待定位</translation>
    </message>
    <message>
        <source>All my cases</source>
        <translation>我的全部案卷</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>全部案卷</translation>
    </message>
    <message>
        <source>New case from a call…</source>
        <translation>来电新建案卷…</translation>
    </message>
    <message>
        <source>New case from a call (Ctrl+N)</source>
        <translation>来电新建案卷 (Ctrl+N)</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>{action} — case {number}</source>
        <translation>{action} — 案卷 {number}</translation>
    </message>
    <message>
        <source>Photos:</source>
        <translation>照片：</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Note (required):</source>
        <translation>说明（必填）：</translation>
    </message>
    <message>
        <source>Name the field collector the case is sent to.</source>
        <translation>请填写派往的信息采集员。</translation>
    </message>
    <message>
        <source>Write the collector&apos;s reply.</source>
        <translation>请填写采集员的答复。</translation>
    </message>
    <message>
        <source>Please write a note: this action needs one.</source>
        <translation>请填写说明：此操作必须填写。</translation>
    </message>
    <message>
        <source>Add at least one photo: this action needs one.</source>
        <translation>请至少添加一张照片：此操作须附照片。</translation>
    </message>
    <message>
        <source>Name of the field collector</source>
        <translation>信息采集员姓名</translation>
    </message>
    <message>
        <source>Collector (required):</source>
        <translation>信息采集员（必填）：</translation>
    </message>
    <message>
        <source>What the collector found</source>
        <translation>采集员现场所见</translation>
    </message>
    <message>
        <source>Collector&apos;s reply (required):</source>
        <translation>采集员答复（必填）：</translation>
    </message>
    <message>
        <source>Photos (required):</source>
        <translation>照片（必填）：</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>属实</translation>
    </message>
    <message>
        <source>not confirmed</source>
        <translation>不属实</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已处置到位</translation>
    </message>
    <message>
        <source>not resolved</source>
        <translation>未处置到位</translation>
    </message>
    <message>
        <source>{collector} answered at {when}: {verdict}. The reply and the photos came with the answer.</source>
        <translation>{collector} 于 {when} 回复：{verdict}。答复和照片已随回复附上。</translation>
    </message>
    <message>
        <source>{who} changed case {number} at {when}. It has been reloaded: check it, then confirm again.</source>
        <translation>{who} 已于 {when} 修改了案卷 {number}，已重新载入：请核对后再次确认。</translation>
    </message>
    <message>
        <source>The case is now {state}; this action no longer applies.</source>
        <translation>案卷现为“{state}”，此操作已不适用。</translation>
    </message>
</context>
<context>
    <name>AdminBackupsView</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>File</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>执行工作站用户</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Being written</source>
        <translation>正在备份</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>领取</translation>
    </message>
    <message>
        <source>Taken over</source>
        <translation>接管</translation>
    </message>
    <message>
        <source>Retried</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>AdminCalendarWidget</name>
    <message>
        <source>Year</source>
        <extracomment>The selected day of a month (see ``_build_ui``). What the override box offers: working (True), day off (False), remove (None).</extracomment>
        <translation>年份</translation>
    </message>
    <message>
        <source>Import a year&apos;s schedule…</source>
        <translation>导入年度节假日安排…</translation>
    </message>
    <message>
        <source>Statutory holiday</source>
        <translation>法定节假日</translation>
    </message>
    <message>
        <source>Adjusted working day (调休)</source>
        <translation>调休上班日</translation>
    </message>
    <message>
        <source>Local day off</source>
        <translation>本地休息日</translation>
    </message>
    <message>
        <source>Local working day</source>
        <translation>本地工作日</translation>
    </message>
    <message>
        <source>Month {n}</source>
        <translation>{n}月</translation>
    </message>
    <message>
        <source>Click a day</source>
        <translation>请点击日期</translation>
    </message>
    <message>
        <source>Remove the local setting</source>
        <translation>取消本地设置</translation>
    </message>
    <message>
        <source>Name (e.g. 县庆)</source>
        <translation>名称（如：县庆）</translation>
    </message>
    <message>
        <source>Set day</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Importing the schedule…</source>
        <translation>正在导入节假日安排…</translation>
    </message>
    <message>
        <source>Import a year&apos;s schedule</source>
        <translation>导入年度节假日安排</translation>
    </message>
    <message>
        <source>Schedules (*.xlsx *.csv)</source>
        <translation>节假日安排 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Known from the published calendar</source>
        <translation>已按国家公布的节假日安排</translation>
    </message>
    <message>
        <source>Entered by an administrator</source>
        <translation>由管理员录入</translation>
    </message>
    <message>
        <source>Not known: plain weekdays</source>
        <translation>未录入：按普通周一至周五计算</translation>
    </message>
</context>
<context>
    <name>AdminCatalogueWidget</name>
    <message>
        <source>Classes and filing conditions</source>
        <translation>类别与立案条件</translation>
    </message>
    <message>
        <source>Standard sheet</source>
        <translation>立结案标准</translation>
    </message>
    <message>
        <source>Open311 service codes</source>
        <translation>Open311服务代码</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>修改记录</translation>
    </message>
</context>
<context>
    <name>AdminDepartmentsView</name>
    <message>
        <source>New department…</source>
        <translation>新增部门…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>更名…</translation>
    </message>
    <message>
        <source>Merge into…</source>
        <translation>并入其他部门…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>在办案卷</translation>
    </message>
    <message>
        <source>Seats</source>
        <translation>部门坐席</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用中</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>{code} is active again: cases may be dispatched to it.</source>
        <translation>{code} 已重新启用，可以向其派遣案卷。</translation>
    </message>
    <message>
        <source>{code} is deactivated: no new dispatch; its open cases stay.</source>
        <translation>{code} 已停用：不再接受新的派遣，在办案卷保持不变。</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Renamed</source>
        <translation>更名</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Reactivated</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>into {into}: {cases} open cases, {users} seats moved</source>
        <translation>并入 {into}：移交在办案卷 {cases} 件、坐席 {users} 个</translation>
    </message>
    <message>
        <source>{cases} open cases</source>
        <translation>在办案卷 {cases} 件</translation>
    </message>
</context>
<context>
    <name>AdminGridsView</name>
    <message>
        <source>Import a grid file…</source>
        <translation>导入网格文件…</translation>
    </message>
    <message>
        <source>Export the grids…</source>
        <translation>导出网格…</translation>
    </message>
    <message>
        <source>No longer applies from</source>
        <translation>停用日期</translation>
    </message>
    <message>
        <source>Retire the grid</source>
        <translation>停用该网格</translation>
    </message>
    <message>
        <source>Coordinate system when the file does not say (e.g. EPSG:4528)</source>
        <translation>文件未注明时的坐标系（如 EPSG:4528）</translation>
    </message>
    <message>
        <source>Apply the import</source>
        <translation>执行导入</translation>
    </message>
    <message>
        <source>Import a grid file to see what it would change.</source>
        <translation>导入网格文件，先查看它将带来的变化。</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>启用日期</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>停用日期</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Checking the grid file…</source>
        <translation>正在检查网格文件…</translation>
    </message>
    <message>
        <source>Exporting the grids…</source>
        <translation>正在导出网格…</translation>
    </message>
    <message>
        <source>{n} grids written to {file}</source>
        <translation>已将 {n} 个网格写入 {file}</translation>
    </message>
    <message>
        <source>Grid {code} no longer applies from {day}.</source>
        <translation>网格 {code} 自 {day} 起停用。</translation>
    </message>
    <message>
        <source>Import a grid file</source>
        <translation>导入网格文件</translation>
    </message>
    <message>
        <source>Export the grids</source>
        <translation>导出网格</translation>
    </message>
    <message>
        <source>Importing the grids…</source>
        <translation>正在导入网格…</translation>
    </message>
    <message>
        <source>Imported: added {added} · changed {changed} · ended {ended} · unchanged {unchanged}</source>
        <translation>已导入：新增 {added} · 变更 {changed} · 停用 {ended} · 未变 {unchanged}</translation>
    </message>
    <message>
        <source>{file} is refused: {n} problems, nothing is imported.</source>
        <translation>{file} 被拒绝：有 {n} 个问题，未导入任何网格。</translation>
    </message>
    <message>
        <source>{file} would add {added} · change {changed} · end {ended} · leave unchanged {unchanged}</source>
        <translation>{file} 将新增 {added} · 变更 {changed} · 停用 {ended} · 未变 {unchanged}</translation>
    </message>
</context>
<context>
    <name>AdminLimitsWidget</name>
    <message>
        <source>Stage limits per urgency</source>
        <extracomment>The stage limits&apos; units an admin picks from (the centre&apos;s own stages).</extracomment>
        <translation>各环节时限（按紧急程度）</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Save limit</source>
        <translation>保存时限</translation>
    </message>
    <message>
        <source>Warning threshold and office hours</source>
        <translation>预警阈值与办公时间</translation>
    </message>
    <message>
        <source>Warn when this share of the limit is used</source>
        <translation>时限用去此比例时预警</translation>
    </message>
    <message>
        <source>…or when this many minutes are left</source>
        <translation>…或剩余分钟数不足时预警</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <source>08:30-12:00, 14:00-17:30</source>
        <translation>08:30-12:00, 14:00-17:30</translation>
    </message>
    <message>
        <source>Save threshold and office hours</source>
        <translation>保存预警阈值与办公时间</translation>
    </message>
</context>
<context>
    <name>AdminListView</name>
    <message>
        <source>Search: any words of any column</source>
        <translation>搜索：任意列中的任意词</translation>
    </message>
</context>
<context>
    <name>AdminPanel</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>部件事件分类</translation>
    </message>
    <message>
        <source>Time limits</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Collectors</source>
        <translation>信息采集员</translation>
    </message>
    <message>
        <source>Staff assessment</source>
        <translation>人员考核</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份记录</translation>
    </message>
</context>
<context>
    <name>AdminUsersView</name>
    <message>
        <source>New user…</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <source>Roles and department…</source>
        <translation>岗位和部门…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用中</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>{login} is enabled again.</source>
        <translation>{login} 已重新启用。</translation>
    </message>
    <message>
        <source>{login} is disabled: it can no longer log in.</source>
        <translation>{login} 已停用，不能再登录。</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Roles changed</source>
        <translation>岗位变更</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>管理员重置密码</translation>
    </message>
    <message>
        <source>Password changed by the user</source>
        <translation>本人修改密码</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>now: {roles} {department}</source>
        <translation>变更为：{roles} {department}</translation>
    </message>
</context>
<context>
    <name>AssessmentEntryDialog</name>
    <message>
        <source>New assessment entry</source>
        <translation>新增考核记录</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>考核对象</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次数/分值</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>发生日期</translation>
    </message>
    <message>
        <source>What happened, and who found it</source>
        <translation>发生了什么，由谁发现</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录入</translation>
    </message>
</context>
<context>
    <name>AssessmentRankingModel</name>
    <message>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>人员类别</translation>
    </message>
    <message>
        <source>Staff id</source>
        <translation>工号/账号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Deductions</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>Additions</source>
        <translation>加分</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>末位</translation>
    </message>
    <message>
        <source>Bottom two months</source>
        <translation>连续两月末位</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Eliminate</source>
        <translation>末位淘汰</translation>
    </message>
</context>
<context>
    <name>AssessmentView</name>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>New entry…</source>
        <translation>录入考核…</translation>
    </message>
    <message>
        <source>Suggest from the data</source>
        <translation>从数据生成建议</translation>
    </message>
    <message>
        <source>Offer entries for seat users&apos; late steps, and for collectors&apos; overdue tasks and grids not patrolled to their density</source>
        <translation>根据坐席人员的超时环节、采集员的超期任务和未达巡查密度的责任网格生成考核建议</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>考核对象</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>采纳</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>不采纳</translation>
    </message>
    <message>
        <source>Suggested entries (nothing counts until accepted)</source>
        <translation>考核建议（采纳后才计分）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>发生日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>冲销</translation>
    </message>
    <message>
        <source>Why the chosen entry is reversed</source>
        <translation>冲销所选记录的原因</translation>
    </message>
    <message>
        <source>Reverse</source>
        <translation>冲销</translation>
    </message>
    <message>
        <source>Entries are never changed: a new entry of the opposite points corrects one</source>
        <translation>考核记录不可修改：以一条分值相反的新记录冲销</translation>
    </message>
    <message>
        <source>Entries of the month</source>
        <translation>本月考核记录</translation>
    </message>
    <message>
        <source>Exporting the assessment of {month}…</source>
        <translation>正在导出 {month} 考核…</translation>
    </message>
    <message>
        <source>Export the assessment</source>
        <translation>导出考核</translation>
    </message>
    <message>
        <source>assessment-{month}.xlsx</source>
        <translation>考核-{month}.xlsx</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>{n} new suggestions.</source>
        <translation>新增 {n} 条考核建议。</translation>
    </message>
    <message>
        <source>reverses No. {n}</source>
        <translation>冲销第 {n} 号</translation>
    </message>
    <message>
        <source>reversed by No. {n}</source>
        <translation>已被第 {n} 号冲销</translation>
    </message>
    <message>
        <source>{n} ranked · {bottom} at the bottom · {eliminate} two months running</source>
        <translation>共 {n} 人 · 末位 {bottom} 人 · 连续两月末位 {eliminate} 人</translation>
    </message>
</context>
<context>
    <name>BarsCard</name>
    <message>
        <source>{name}: {value}</source>
        <translation>{name}：{value}</translation>
    </message>
</context>
<context>
    <name>CallbackDialog</name>
    <message>
        <source>Call the complainant back</source>
        <translation>回访投诉人</translation>
    </message>
    <message>
        <source>Record callback</source>
        <translation>记录回访</translation>
    </message>
    <message>
        <source>Complainant:</source>
        <translation>投诉人：</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未接通</translation>
    </message>
    <message>
        <source>Call:</source>
        <translation>回访电话：</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Satisfaction:</source>
        <translation>满意度：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Choose how satisfied the complainant is.</source>
        <translation>请选择投诉人的满意度。</translation>
    </message>
</context>
<context>
    <name>CallbackSampleView</name>
    <message>
        <source>Replied from</source>
        <translation>答复日期 从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Draw the sample</source>
        <translation>抽取样本</translation>
    </message>
    <message>
        <source>Draw the callback sample of this period (once: it cannot be re-rolled)</source>
        <translation>抽取本期间的回访样本（每期只抽一次，不能重抽）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Replied</source>
        <translation>答复时间</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未联系上</translation>
    </message>
    <message>
        <source>Not yet called back</source>
        <translation>尚未回访</translation>
    </message>
</context>
<context>
    <name>CaseComplaintsBox</name>
    <message>
        <source>Number</source>
        <translation>投诉编号</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>The complainant was called back dissatisfied: send the closed case back to its department to rework</source>
        <translation>回访结果为不满意：将已结案卷退回处置部门返工</translation>
    </message>
    <message>
        <source>Complaints ({count})</source>
        <translation>投诉（{count}）</translation>
    </message>
</context>
<context>
    <name>CaseDetailWidget</name>
    <message>
        <source>Select a case</source>
        <extracomment>A shortcut for every action; the detail&apos;s buttons and the panels&apos; menus share them.</extracomment>
        <translation>请选择案卷</translation>
    </message>
    <message>
        <source>Print the case sheet (Ctrl+P)</source>
        <translation>打印案卷单（Ctrl+P）</translation>
    </message>
    <message>
        <source>Save the case sheet as a PDF file</source>
        <translation>将案卷单保存为PDF文件</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案卷</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>办理过程</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Save the case sheet as PDF</source>
        <translation>将案卷单另存为PDF</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>存PDF…</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Case sheet {number}</source>
        <translation>案卷单 {number}</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>案卷编号</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>问题来源</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>问题类别</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>上报人</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Deadline status</source>
        <translation>时限状态</translation>
    </message>
    <message>
        <source>Pending request</source>
        <translation>待审批申请</translation>
    </message>
    <message>
        <source>Rework / extensions</source>
        <translation>返工 / 延期次数</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>最后修改</translation>
    </message>
    <message>
        <source>extension until {deadline}</source>
        <translation>延期至 {deadline}</translation>
    </message>
    <message>
        <source>return</source>
        <translation>回退</translation>
    </message>
    <message>
        <source>postponement until {resume_on}</source>
        <translation>缓办至 {resume_on}</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Deadline light</source>
        <translation>亮灯</translation>
    </message>
    <message>
        <source>Deadline recomputed</source>
        <translation>时限重算</translation>
    </message>
    <message>
        <source>Collector&apos;s answer</source>
        <translation>采集员回复</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>CaseQueueWidget</name>
    <message>
        <source>Search number, phone, reporter, address (Ctrl+F)</source>
        <extracomment>Column widths before the person sets their own (then remembered per user). Coalesces bursts of notifications into one re-read. Coalesces notices into one count of the queue (a count reads more than a page). The strip that says a filter is on.</extracomment>
        <translation>搜索案卷号、电话、上报人、地址 (Ctrl+F)</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Grid code</source>
        <translation>网格编码</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <source>Any deadline</source>
        <translation>全部时限状态</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Near deadline</source>
        <translation>临期（黄灯）</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期（红灯）</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Grid {code}</source>
        <translation>网格 {code}</translation>
    </message>
    <message>
        <source>Search “{text}”</source>
        <translation>搜索“{text}”</translation>
    </message>
    <message>
        <source>Filtered: {filters}</source>
        <translation>已筛选：{filters}</translation>
    </message>
    <message>
        <source>{n} found so far, more as you scroll</source>
        <translation>已找到 {n} 件，向下滚动继续查找</translation>
    </message>
    <message>
        <source>{n} found</source>
        <translation>找到 {n} 件</translation>
    </message>
    <message>
        <source>{n} cases in all</source>
        <translation>共 {n} 件</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source> — loading…</source>
        <translation> — 加载中…</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>Deadline: {when}</source>
        <extracomment>The data role that carries the row&apos;s ``CaseRow``. The service&apos;s sort key behind a column; a column without one is not sortable. Rows received from the database, and how many reads brought them.</extracomment>
        <translation>时限：{when}</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Near deadline</source>
        <translation>临期（黄灯）</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期（红灯）</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>案卷编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>问题类别</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>问题来源</translation>
    </message>
</context>
<context>
    <name>ClassesView</name>
    <message>
        <source>Search code or name</source>
        <translation>搜索代码或名称</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>立案条件数</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>01 for a major class, 0101 for a minor</source>
        <translation>大类如 01，小类如 0101</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Save class</source>
        <translation>保存类别</translation>
    </message>
    <message>
        <source>Filing conditions of the minor class</source>
        <translation>小类的立案条件</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Filing condition</source>
        <translation>立案条件</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <source>Closing condition</source>
        <translation>结案条件</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Supervising department</source>
        <translation>主管部门</translation>
    </message>
    <message>
        <source>Save condition</source>
        <translation>保存立案条件</translation>
    </message>
    <message>
        <source>Add as new condition</source>
        <translation>新增立案条件</translation>
    </message>
    <message>
        <source>{name} (deactivated)</source>
        <translation>{name}（已停用）</translation>
    </message>
</context>
<context>
    <name>CollectorsView</name>
    <message>
        <source>Register</source>
        <extracomment>The map&apos;s fills on the Grids tab: the chosen collector&apos;s grids, the selection.</extracomment>
        <translation>采集员名册</translation>
    </message>
    <message>
        <source>Responsibility grids</source>
        <translation>责任网格</translation>
    </message>
    <message>
        <source>Patrol densities</source>
        <translation>巡查密度</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>巡查覆盖</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>周报月报</translation>
    </message>
    <message>
        <source>Search id, name, staff number, phone, device</source>
        <translation>搜索编号、姓名、工号、电话、采集器</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>采集器</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>The name the collector&apos;s reports carry</source>
        <translation>采集员上报中使用的名称</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>ID:</source>
        <translation>编号：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Staff number:</source>
        <translation>工号：</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Device (采集器):</source>
        <translation>采集器编号：</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Search grid code or name, or collector</source>
        <translation>搜索网格编码、名称或采集员</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>信息采集员</translation>
    </message>
    <message>
        <source>Bind selected grids</source>
        <translation>绑定所选网格</translation>
    </message>
    <message>
        <source>Unbind</source>
        <translation>解除绑定</translation>
    </message>
    <message>
        <source>Pick on map</source>
        <translation>在地图上选择</translation>
    </message>
    <message>
        <source>Collector:</source>
        <translation>信息采集员：</translation>
    </message>
    <message>
        <source>Set type of selected grids</source>
        <translation>设定所选网格类型</translation>
    </message>
    <message>
        <source>Grid type:</source>
        <translation>网格类型：</translation>
    </message>
    <message>
        <source>Visits per day</source>
        <translation>每日巡查次数</translation>
    </message>
    <message>
        <source>Lower-case letters, e.g. market</source>
        <translation>小写字母，如 market</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Visits per day:</source>
        <translation>每日巡查次数：</translation>
    </message>
    <message>
        <source>Save density</source>
        <translation>保存巡查密度</translation>
    </message>
    <message>
        <source>active</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Collector {id} saved.</source>
        <translation>信息采集员 {id} 已保存。</translation>
    </message>
    <message>
        <source>Choose a collector and at least one grid.</source>
        <translation>请选择采集员和至少一个网格。</translation>
    </message>
    <message>
        <source>{n} grids bound.</source>
        <translation>已绑定 {n} 个网格。</translation>
    </message>
    <message>
        <source>Choose at least one grid.</source>
        <translation>请至少选择一个网格。</translation>
    </message>
    <message>
        <source>{n} grids unbound.</source>
        <translation>已解除 {n} 个网格。</translation>
    </message>
    <message>
        <source>Choose a grid type and at least one grid.</source>
        <translation>请选择网格类型和至少一个网格。</translation>
    </message>
    <message>
        <source>{n} grids typed.</source>
        <translation>已设定 {n} 个网格的类型。</translation>
    </message>
    <message>
        <source>{name}: {start} – {end}</source>
        <translation>{name}：{start} – {end}</translation>
    </message>
    <message>
        <source>now</source>
        <translation>至今</translation>
    </message>
    <message>
        <source>History: {periods}</source>
        <translation>责任历史：{periods}</translation>
    </message>
    <message>
        <source>nobody yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>Density of {type} saved.</source>
        <translation>{type} 的巡查密度已保存。</translation>
    </message>
</context>
<context>
    <name>ComplaintDetailWidget</name>
    <message>
        <source>Select a complaint</source>
        <extracomment>The steps of the detail, their buttons&apos; shortcuts, and the states that allow each.</extracomment>
        <translation>请选择一件投诉</translation>
    </message>
    <message>
        <source>Open a case</source>
        <translation>转为案卷</translation>
    </message>
    <message>
        <source>Link to a case</source>
        <translation>关联案卷</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转办</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>来源渠道：</translation>
    </message>
    <message>
        <source>Received:</source>
        <translation>受理时间：</translation>
    </message>
    <message>
        <source>Platform reference:</source>
        <translation>平台编号：</translation>
    </message>
    <message>
        <source>Content:</source>
        <translation>投诉内容：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>问题类别：</translation>
    </message>
    <message>
        <source>Reply due:</source>
        <translation>答复期限：</translation>
    </message>
    <message>
        <source>Reply deadline:</source>
        <translation>答复时限：</translation>
    </message>
    <message>
        <source>Forwarded to:</source>
        <translation>转办单位：</translation>
    </message>
    <message>
        <source>Reply:</source>
        <translation>答复内容：</translation>
    </message>
    <message>
        <source>Callback:</source>
        <translation>回访结果：</translation>
    </message>
    <message>
        <source>Complainant:</source>
        <translation>投诉人：</translation>
    </message>
    <message>
        <source>The case&apos;s progress</source>
        <translation>关联案卷进展</translation>
    </message>
    <message>
        <source>Case:</source>
        <translation>案卷：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>处置部门：</translation>
    </message>
    <message>
        <source>Stage deadline:</source>
        <translation>本环节时限：</translation>
    </message>
    <message>
        <source>Deadline:</source>
        <translation>时限状态：</translation>
    </message>
    <message>
        <source>Last change:</source>
        <translation>最近变动：</translation>
    </message>
    <message>
        <source>reached</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>未接通</translation>
    </message>
</context>
<context>
    <name>ComplaintImportDialog</name>
    <message>
        <source>Import complaints</source>
        <extracomment>Bad rows the table lists (a file that is wrong in every row would fill it for long); the summary says how many more, the command line lists them all.</extracomment>
        <translation>导入投诉</translation>
    </message>
    <message>
        <source>An .xlsx or .csv file the city platform exported</source>
        <translation>市平台导出的 .xlsx 或 .csv 文件</translation>
    </message>
    <message>
        <source>&amp;Choose file…</source>
        <translation>选择文件(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason or complaint</source>
        <translation>原因或投诉内容</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Reading the complaints…</source>
        <translation>正在读取投诉…</translation>
    </message>
    <message>
        <source>Importing the complaints…</source>
        <translation>正在导入投诉…</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>Can be imported</source>
        <translation>可导入</translation>
    </message>
    <message>
        <source>Choose the file of forwarded complaints</source>
        <translation>选择市平台转办投诉文件</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
</context>
<context>
    <name>ComplaintQueueWidget</name>
    <message>
        <source>Search number, platform reference, beginning of the content (Ctrl+F)</source>
        <translation>搜索投诉编号、平台编号、内容开头（Ctrl+F）</translation>
    </message>
    <message>
        <source>{n} found</source>
        <translation>找到 {n} 件</translation>
    </message>
    <message>
        <source>{n} complaints in all</source>
        <translation>共 {n} 件投诉</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source> — loading…</source>
        <translation> — 加载中…</translation>
    </message>
</context>
<context>
    <name>ComplaintTableModel</name>
    <message>
        <source>Number</source>
        <extracomment>The data role that carries the row&apos;s ``ComplaintRow``.</extracomment>
        <translation>投诉编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reply deadline</source>
        <translation>答复时限</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案卷/转办</translation>
    </message>
    <message>
        <source>Reply due: {when}</source>
        <translation>答复期限：{when}</translation>
    </message>
</context>
<context>
    <name>ContactReveal</name>
    <message>
        <source>Show number</source>
        <translation>显示号码</translation>
    </message>
    <message>
        <source>Shows the real name and phone; the database records who read them.</source>
        <translation>显示真实姓名和电话；数据库会记录查看人。</translation>
    </message>
</context>
<context>
    <name>CoverageTab</name>
    <message>
        <source>Refresh</source>
        <extracomment>The fill of a grid whose density was not met, on the map and in the table.</extracomment>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Last days:</source>
        <translation>最近天数：</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>应巡查次数</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>实际巡查次数</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>信息采集员</translation>
    </message>
    <message>
        <source>Covered</source>
        <translation>是否达标</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>{n} of {total} grids not covered in the last {days} days</source>
        <translation>最近 {days} 天 {total} 个网格中有 {n} 个未达巡查密度</translation>
    </message>
</context>
<context>
    <name>DatabasePlace</name>
    <message>
        <source>this computer&apos;s database</source>
        <translation>本机数据库</translation>
    </message>
    <message>
        <source>the centre&apos;s database</source>
        <translation>指挥中心数据库</translation>
    </message>
    <message>
        <source>Server: {where}</source>
        <translation>服务器：{where}</translation>
    </message>
</context>
<context>
    <name>DeadlinePart</name>
    <message>
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>this action sets no new deadline</source>
        <translation>此操作不设新的时限</translation>
    </message>
    <message>
        <source>computed from the time-limit standard</source>
        <translation>按时限标准计算</translation>
    </message>
</context>
<context>
    <name>DepartmentDialog</name>
    <message>
        <source>New department</source>
        <translation>新增部门</translation>
    </message>
    <message>
        <source>Rename {code}</source>
        <translation>部门 {code} 更名</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>代码：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系方式：</translation>
    </message>
    <message>
        <source>Enter the department&apos;s code.</source>
        <translation>请输入部门代码。</translation>
    </message>
    <message>
        <source>Enter the department&apos;s name.</source>
        <translation>请输入部门名称。</translation>
    </message>
</context>
<context>
    <name>DialogProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>DiscardQuestion</name>
    <message>
        <source>Discard what was typed?</source>
        <translation>放弃已填写的内容？</translation>
    </message>
    <message>
        <source>This form holds what you typed. Discard it?</source>
        <translation>表单中有已填写的内容，确定放弃吗？</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续填写</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>处置部门：</translation>
    </message>
    <message>
        <source>Deadline:</source>
        <translation>处置时限：</translation>
    </message>
    <message>
        <source>Choose the department that will handle the case.</source>
        <translation>请选择处置部门。</translation>
    </message>
</context>
<context>
    <name>DispatcherPanel</name>
    <message>
        <source>To dispatch</source>
        <extracomment>Dispatched and still with the department: what the dispatcher follows up.</extracomment>
        <translation>待派遣</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已回退</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
</context>
<context>
    <name>ExtensionDialog</name>
    <message>
        <source>New deadline:</source>
        <translation>新的时限：</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>Forward the complaint to another agency</source>
        <translation>转办至其他单位</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转办</translation>
    </message>
    <message>
        <source>e.g. the traffic police, the water company</source>
        <translation>如：交警大队、自来水公司</translation>
    </message>
    <message>
        <source>Agency:</source>
        <translation>承办单位：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Name the agency the complaint goes to.</source>
        <translation>请填写转办的承办单位。</translation>
    </message>
</context>
<context>
    <name>HotGridsCard</name>
    <message>
        <source>Top grids</source>
        <translation>高发网格</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报数</translation>
    </message>
</context>
<context>
    <name>IndicesCard</name>
    <message>
        <source>Indices</source>
        <extracomment>Index tiles in one row of the indices card.</extracomment>
        <translation>评价指数</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>Awaiting check</source>
        <extracomment>The name of the check-request queue (its settings and ``show_queue``).</extracomment>
        <translation>待核查</translation>
    </message>
    <message>
        <source>Urge</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Callback sample</source>
        <translation>随机回访抽查</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计看板</translation>
    </message>
    <message>
        <source>Urge ({n} overdue)</source>
        <translation>督办（超期 {n}）</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>Link the complaint to a case</source>
        <translation>将投诉关联到案卷</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>关联</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案卷编号</translation>
    </message>
    <message>
        <source>Case:</source>
        <translation>案卷：</translation>
    </message>
    <message>
        <source>Open cases nearby:</source>
        <translation>附近未结案卷：</translation>
    </message>
    <message>
        <source>Give the number of the case.</source>
        <translation>请填写案卷编号。</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>seatdesk — locked</source>
        <translation>智慧城管坐席 — 已锁定</translation>
    </message>
    <message>
        <source>The desk was locked after a time without use. Enter the password of {name} ({login}) to go on; what you typed is kept.</source>
        <translation>坐席长时间无操作，已自动锁定。请输入 {name}（{login}）的密码继续；已填写的内容均已保留。</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Too many failed attempts in a row: try again in {seconds} s.</source>
        <translation>连续验证失败次数过多，请在 {seconds} 秒后重试。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>seatdesk — log in</source>
        <extracomment>Refused logins in a row before the dialog makes the person wait. The first wait, doubled after every further refusal, up to ``MAX_WAIT_S``. The refusals that count: a wrong password, or a disabled account.</extracomment>
        <translation>智慧城管坐席 — 登录</translation>
    </message>
    <message>
        <source>Digital city management seat</source>
        <translation>数字化城市管理坐席</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Starting the database…</source>
        <translation>正在启动数据库…</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Retry connecting</source>
        <translation>重新连接</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>Database: {where}</source>
        <translation>数据库：{where}</translation>
    </message>
    <message>
        <source>The database is not available.</source>
        <translation>数据库不可用。</translation>
    </message>
    <message>
        <source>Too many failed logins in a row: try again in {seconds} s.</source>
        <translation>连续登录失败次数过多，请在 {seconds} 秒后重试。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>seatdesk — {name} ({roles})</source>
        <extracomment>The smallest screen a seat works on (the window fits it, nothing clipped). The queues and the map at first (the splitter&apos;s sizes): at 1280 px the panel needs most of the width (queue, filters and case detail); width beyond it goes 3 : 2.</extracomment>
        <translation>智慧城管坐席 — {name}（{roles}）</translation>
    </message>
    <message>
        <source>Database: {where}</source>
        <extracomment>The splitter as it was while the map showed (kept while the map is hidden).</extracomment>
        <translation>数据库：{where}</translation>
    </message>
    <message>
        <source>About seatdesk</source>
        <translation>关于智慧城管坐席</translation>
    </message>
    <message>
        <source>&lt;b&gt;seatdesk {version}&lt;/b&gt;&lt;br&gt;The seat desk of the digital city management command centre.&lt;br&gt;Every seat shares one database; the database decides who may do what.</source>
        <translation>&lt;b&gt;智慧城管坐席 {version}&lt;/b&gt;&lt;br&gt;数字化城市管理监督指挥中心的坐席工作台。&lt;br&gt;各坐席共用一个数据库，由数据库决定谁可以做什么。</translation>
    </message>
    <message>
        <source>Statistics: replica</source>
        <translation>统计：只读副本</translation>
    </message>
    <message>
        <source>Statistics: main server</source>
        <translation>统计：主服务器</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <source>The connection to the database was lost: {cause}. Reconnecting by itself; what you typed is kept.</source>
        <translation>与数据库的连接已断开：{cause}。正在自动重连，已填写的内容会保留。</translation>
    </message>
    <message>
        <source>● live</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>● reconnecting…</source>
        <translation>● 重新连接中…</translation>
    </message>
</context>
<context>
    <name>MapPane</name>
    <message>
        <source>The map is not available in this installation.</source>
        <extracomment>How long after a data change the cases are read again (ms).</extracomment>
        <translation>此安装中地图不可用。</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>Unit grids</source>
        <extracomment>A case marker was clicked: the case id. A point was picked after ``start_pick()``: longitude, latitude. The page is loaded and its channel connected; queued calls have been sent. A layer finished painting: &quot;grids&quot; or &quot;cases&quot;, how many, milliseconds in the page.</extracomment>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>Community and street boundaries</source>
        <translation>社区和街道边界</translation>
    </message>
    <message>
        <source>Grid codes</source>
        <translation>网格编码</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案卷数</translation>
    </message>
    <message>
        <source>Case density</source>
        <translation>案卷密度</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Number of the original case</source>
        <translation>原案卷编号</translation>
    </message>
    <message>
        <source>Original case:</source>
        <translation>原案卷：</translation>
    </message>
    <message>
        <source>Enter the number of the case this report repeats.</source>
        <translation>请输入本报告重复的原案卷编号。</translation>
    </message>
    <message>
        <source>Merge {code}</source>
        <translation>合并部门 {code}</translation>
    </message>
    <message>
        <source>{name} ({code}) will be deactivated. Its {cases} open cases, its {users} department seats and its filing conditions move to the department chosen here; its closed cases and every case&apos;s history stay as they are.</source>
        <translation>{name}（{code}）将被停用。其在办案卷 {cases} 件、部门坐席 {users} 个及立案条件将移交给此处选择的部门；已结案卷和所有案卷的历史记录保持不变。</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Merge into:</source>
        <translation>并入：</translation>
    </message>
    <message>
        <source>Choose the department to merge into.</source>
        <translation>请选择要并入的部门。</translation>
    </message>
</context>
<context>
    <name>MonitorPanel</name>
    <message>
        <source>New complaints</source>
        <extracomment>Each step&apos;s dialog, made from the desk, the complaint and the parent.</extracomment>
        <translation>新投诉</translation>
    </message>
    <message>
        <source>Awaiting reply</source>
        <translation>待答复</translation>
    </message>
    <message>
        <source>Callbacks due</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>All complaints</source>
        <translation>全部投诉</translation>
    </message>
    <message>
        <source>Record a complaint…</source>
        <translation>登记投诉…</translation>
    </message>
    <message>
        <source>Record a complaint from a call (Ctrl+N)</source>
        <translation>登记来电投诉（Ctrl+N）</translation>
    </message>
    <message>
        <source>{title} ({n})</source>
        <translation>{title}（{n}）</translation>
    </message>
</context>
<context>
    <name>MonthlyReportDialog</name>
    <message>
        <source>Monthly report</source>
        <translation>生成月报</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>Write the report</source>
        <translation>生成月报</translation>
    </message>
    <message>
        <source>Folder for the monthly report</source>
        <translation>月报保存文件夹</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <source>New case from a call</source>
        <extracomment>The centre&apos;s default map position (the demo county), for a call without coordinates.</extracomment>
        <translation>来电新建案卷</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>问题来源：</translation>
    </message>
    <message>
        <source>Type a name or a code, e.g. 井盖 or 0101</source>
        <translation>输入名称或编码，如 井盖 或 0101</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>问题类别：</translation>
    </message>
    <message>
        <source>— choose a category first —</source>
        <translation>— 请先选择问题类别 —</translation>
    </message>
    <message>
        <source>Filing condition:</source>
        <translation>立案条件：</translation>
    </message>
    <message>
        <source>Urgency:</source>
        <translation>紧急程度：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>问题描述：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>坐标</translation>
    </message>
    <message>
        <source>lon</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>lat</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>15-digit grid code, if known</source>
        <translation>15位单元网格编码（如已知）</translation>
    </message>
    <message>
        <source>Grid:</source>
        <translation>单元网格：</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Caller:</source>
        <translation>来电人：</translation>
    </message>
    <message>
        <source>Photos:</source>
        <translation>照片：</translation>
    </message>
    <message>
        <source>Create case</source>
        <translation>创建案卷</translation>
    </message>
    <message>
        <source>— not decided yet —</source>
        <translation>— 暂不确定 —</translation>
    </message>
    <message>
        <source>Choose a category from the list.</source>
        <translation>请从列表中选择问题类别。</translation>
    </message>
    <message>
        <source>Describe the problem.</source>
        <translation>请描述问题。</translation>
    </message>
    <message>
        <source>Give an address or coordinates.</source>
        <translation>请填写地址或坐标。</translation>
    </message>
    <message>
        <source>A grid code has 15 digits.</source>
        <translation>单元网格编码为15位数字。</translation>
    </message>
    <message>
        <source>Draft restored: this form holds what was typed before it closed (saved {when}).</source>
        <translation>已恢复草稿：表单保留了关闭前填写的内容（保存于 {when}）。</translation>
    </message>
    <message>
        <source>Pick on map</source>
        <translation>在地图上选点</translation>
    </message>
    <message>
        <source>The map is not available.</source>
        <translation>地图不可用。</translation>
    </message>
    <message>
        <source>Click the place on the map (Esc cancels).</source>
        <translation>请在地图上点击位置（Esc 取消）。</translation>
    </message>
</context>
<context>
    <name>OnTimeCard</name>
    <message>
        <source>On-time rate per department</source>
        <translation>各部门按期处置率</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>按期处置率</translation>
    </message>
    <message>
        <source>Nothing due: {names}</source>
        <translation>本期无应处置案卷：{names}</translation>
    </message>
</context>
<context>
    <name>Open311View</name>
    <message>
        <source>Service code</source>
        <translation>服务代码</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>问题类别</translation>
    </message>
    <message>
        <source>By</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>设置对应</translation>
    </message>
    <message>
        <source>Remove mapping</source>
        <translation>删除对应</translation>
    </message>
</context>
<context>
    <name>OverdueCard</name>
    <message>
        <source>Open and overdue</source>
        <translation>超期待处置</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Reset the password of {login}</source>
        <translation>重置 {login} 的密码</translation>
    </message>
</context>
<context>
    <name>PasswordFields</name>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password again:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>PhoneComplaintDialog</name>
    <message>
        <source>Record a complaint from a call</source>
        <extracomment>The data role of a list item&apos;s case id. How long after the last change the nearby cases and earlier complaints are read (ms). The draft&apos;s name among the user&apos;s drafts, and how long after a change it is written. A phone number as it is kept: digits, a leading + for an international one. A complete mainland mobile, looked up as soon as it is typed (+86 allowed). What a number is read out with: white space, dashes, brackets (full-width too). The number whose earlier complaints were asked for (each look-up is audited). What the form recorded: the complaint, and the case it was linked to or opened.</extracomment>
        <translation>登记来电投诉</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>来源渠道：</translation>
    </message>
    <message>
        <source>What the caller says is wrong, and where</source>
        <translation>来电人反映的问题及地点</translation>
    </message>
    <message>
        <source>Content:</source>
        <translation>投诉内容：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>坐标</translation>
    </message>
    <message>
        <source>Pick on map</source>
        <translation>在地图上选点</translation>
    </message>
    <message>
        <source>The map is not available.</source>
        <translation>地图不可用。</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>Caller&apos;s phone</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <source>Name, if given</source>
        <translation>姓名（如提供）</translation>
    </message>
    <message>
        <source>Caller:</source>
        <translation>来电人：</translation>
    </message>
    <message>
        <source>Type a name or a code, e.g. 井盖 or 0101</source>
        <translation>输入名称或编码，如 井盖 或 0101</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>问题类别：</translation>
    </message>
    <message>
        <source>The urgency of the case opened from the complaint</source>
        <translation>由投诉转成的案卷的紧急程度</translation>
    </message>
    <message>
        <source>Urgency:</source>
        <translation>紧急程度：</translation>
    </message>
    <message>
        <source>Open cases nearby, same category</source>
        <translation>附近同类未结案卷</translation>
    </message>
    <message>
        <source>Give a place and a category to see them.</source>
        <translation>填写位置和问题类别后显示。</translation>
    </message>
    <message>
        <source>This caller&apos;s earlier complaints</source>
        <translation>该来电人的历史投诉</translation>
    </message>
    <message>
        <source>Give the caller&apos;s phone to see them.</source>
        <translation>填写来电号码后显示。</translation>
    </message>
    <message>
        <source>Link to this case (Ctrl+L)</source>
        <translation>关联到此案卷（Ctrl+L）</translation>
    </message>
    <message>
        <source>Record the complaint linked to the chosen case instead of a new one</source>
        <translation>登记投诉并关联到所选案卷，不再新建案卷</translation>
    </message>
    <message>
        <source>Record complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <source>Record the complaint (Ctrl+Enter)</source>
        <translation>登记投诉（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Record and open a case</source>
        <translation>登记并转为案卷</translation>
    </message>
    <message>
        <source>Choose an open case from the lists first.</source>
        <translation>请先从列表中选择一件未结案卷。</translation>
    </message>
    <message>
        <source>Choose a category from the list to open a case.</source>
        <translation>转为案卷前请从列表中选择问题类别。</translation>
    </message>
    <message>
        <source>Write what the caller complains about.</source>
        <translation>请填写投诉内容。</translation>
    </message>
    <message>
        <source>{phone} is not a phone number.</source>
        <translation>“{phone}”不是电话号码。</translation>
    </message>
    <message>
        <source>Give an address or coordinates.</source>
        <translation>请填写地址或坐标。</translation>
    </message>
    <message>
        <source>Draft restored: this form holds what was typed before it closed (saved {when}).</source>
        <translation>已恢复草稿：表单保留了关闭前填写的内容（保存于 {when}）。</translation>
    </message>
    <message>
        <source>No open case of this category nearby.</source>
        <translation>附近没有同类未结案卷。</translation>
    </message>
    <message>
        <source>Enter on a case links the complaint to it.</source>
        <translation>在案卷上按回车即关联到该案卷。</translation>
    </message>
    <message>
        <source>Press Enter in the phone field, or type the whole mobile number, to see them.</source>
        <translation>在电话栏按回车，或输入完整手机号，即可查看。</translation>
    </message>
    <message>
        <source>No earlier complaint from this number.</source>
        <translation>该号码没有历史投诉。</translation>
    </message>
    <message>
        <source>Those whose case is still open can be linked to it.</source>
        <translation>案卷未结的可直接关联。</translation>
    </message>
    <message>
        <source>case {number} ({state})</source>
        <translation>案卷 {number}（{state}）</translation>
    </message>
    <message>
        <source>Click the place on the map (Esc cancels).</source>
        <translation>请在地图上点击位置（Esc 取消）。</translation>
    </message>
</context>
<context>
    <name>PhotoPicker</name>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>The file {name} no longer exists.</source>
        <translation>文件 {name} 已不存在。</translation>
    </message>
    <message>
        <source>The file {name} is larger than {mb} MB.</source>
        <translation>文件 {name} 超过 {mb} MB。</translation>
    </message>
    <message>
        <source>Choose photos</source>
        <translation>选择照片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.bmp *.gif *.webp);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp *.gif *.webp);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>{step} · uploaded by {who} at {when}</source>
        <translation>{step} · {who} 于 {when} 上传</translation>
    </message>
    <message>
        <source>This photo cannot be shown.</source>
        <translation>无法显示这张照片。</translation>
    </message>
</context>
<context>
    <name>PostponementDialog</name>
    <message>
        <source>Resume on:</source>
        <translation>恢复日期：</translation>
    </message>
</context>
<context>
    <name>PreRegisterDialog</name>
    <message>
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Filing condition:</source>
        <translation>立案条件：</translation>
    </message>
    <message>
        <source>Looking for reports within 50 m…</source>
        <translation>正在查找50米内的报告…</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>案卷编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>Merge into the selected case</source>
        <translation>合并到所选案卷</translation>
    </message>
    <message>
        <source>Possible duplicates:</source>
        <translation>可能重复：</translation>
    </message>
    <message>
        <source>Choose the filing condition the report meets.</source>
        <translation>请选择该问题符合的立案条件。</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>No open report of this category within 50 m.</source>
        <translation>50米内没有同类别的在办报告。</translation>
    </message>
    <message>
        <source>{n} open reports of this category within 50 m:</source>
        <translation>50米内有 {n} 件同类别在办报告：</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>My queue</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出Excel…</translation>
    </message>
    <message>
        <source>Write the current queue, with its filters, to an Excel workbook</source>
        <translation>按当前筛选条件将本队列导出为Excel工作簿</translation>
    </message>
    <message>
        <source>Exporting the queue to Excel…</source>
        <translation>正在导出队列到Excel…</translation>
    </message>
    <message>
        <source>{title} ({n})</source>
        <translation>{title}（{n}）</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>{count} cases exported to {path}</source>
        <translation>已导出 {count} 件案卷到 {path}</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Choose the reason for refusing the report.</source>
        <translation>请选择不予立案的原因。</translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <source>{action} — case {number}</source>
        <translation>{action} — 案卷 {number}</translation>
    </message>
    <message>
        <source>Case {case} ({state}) goes back to its department to rework: complaint {complaint} was called back {satisfaction}.</source>
        <translation>案卷 {case}（{state}）将退回处置部门返工：投诉 {complaint} 回访结果为“{satisfaction}”。</translation>
    </message>
    <message>
        <source>What the complainant is dissatisfied with</source>
        <translation>投诉人对哪些方面不满意</translation>
    </message>
    <message>
        <source>Note (required):</source>
        <translation>说明（必填）：</translation>
    </message>
    <message>
        <source>Please write a note: a reopen needs one.</source>
        <translation>请填写说明：重办须附说明。</translation>
    </message>
</context>
<context>
    <name>ReplyDialog</name>
    <message>
        <source>Reply to the complainant</source>
        <translation>答复投诉人</translation>
    </message>
    <message>
        <source>Record reply</source>
        <translation>记录答复</translation>
    </message>
    <message>
        <source>Complainant:</source>
        <translation>投诉人：</translation>
    </message>
    <message>
        <source>How:</source>
        <translation>答复方式：</translation>
    </message>
    <message>
        <source>Reply:</source>
        <translation>答复内容：</translation>
    </message>
    <message>
        <source>Write what the complainant was told.</source>
        <translation>请填写答复内容。</translation>
    </message>
</context>
<context>
    <name>ReplyStatus</name>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Near deadline</source>
        <translation>临期（黄灯）</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期（红灯）</translation>
    </message>
</context>
<context>
    <name>ReportTab</name>
    <message>
        <source>Weekly report (周报)</source>
        <translation>采集工作周报</translation>
    </message>
    <message>
        <source>Monthly report (月报)</source>
        <translation>采集工作月报</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出Excel…</translation>
    </message>
    <message>
        <source>Type the period as 2026-W48 (a week) or 2026-11 (a month).</source>
        <translation>期间应写作 2026-W48（周）或 2026-11（月）。</translation>
    </message>
    <message>
        <source>Collector report</source>
        <translation>采集员报表</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Save the collector report</source>
        <translation>保存采集员报表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已导出：{path}</translation>
    </message>
</context>
<context>
    <name>ReworkDialog</name>
    <message>
        <source>Department:</source>
        <translation>处置部门：</translation>
    </message>
    <message>
        <source>New deadline:</source>
        <translation>新的时限：</translation>
    </message>
</context>
<context>
    <name>RulesAuditBox</name>
    <message>
        <source>Stage limits</source>
        <translation>环节时限</translation>
    </message>
    <message>
        <source>Centre settings</source>
        <translation>中心设置</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Filing conditions</source>
        <translation>立案条件</translation>
    </message>
    <message>
        <source>Open311 service codes</source>
        <translation>Open311服务代码</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Latest changes</source>
        <translation>最近修改</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>数据表</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>ShiftLeaderPanel</name>
    <message>
        <source>To register</source>
        <translation>待立案</translation>
    </message>
    <message>
        <source>To close</source>
        <translation>待结案</translation>
    </message>
    <message>
        <source>Requests to authorize</source>
        <translation>待审批申请</translation>
    </message>
    <message>
        <source>Shift overview</source>
        <translation>班次概况</translation>
    </message>
</context>
<context>
    <name>ShiftOverviewWidget</name>
    <message>
        <source>Near deadline</source>
        <extracomment>Shifts change at 08:00 and 20:00 (the centre&apos;s two 12-hour shifts).</extracomment>
        <translation>临期（黄灯）</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期（红灯）</translation>
    </message>
    <message>
        <source>Open cases per state</source>
        <translation>各状态在办案卷</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案卷数</translation>
    </message>
    <message>
        <source>Actions per seat this shift</source>
        <translation>本班各坐席操作数</translation>
    </message>
    <message>
        <source>Seat</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>操作数</translation>
    </message>
    <message>
        <source>Shift since {when}</source>
        <translation>本班自 {when} 起</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <extracomment>Keys of special keyboards that standard shortcuts also bind (not listed in the sheet).</extracomment>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Does</source>
        <translation>功能</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>StandardSheetView</name>
    <message>
        <source>Open a standard sheet…</source>
        <translation>打开立结案标准…</translation>
    </message>
    <message>
        <source>Export the standard sheet…</source>
        <translation>导出立结案标准…</translation>
    </message>
    <message>
        <source>Open a sheet to see what it would change.</source>
        <translation>打开标准文件，预览将作的更改。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Apply the sheet</source>
        <translation>应用标准</translation>
    </message>
    <message>
        <source>Reading the standard sheet…</source>
        <translation>正在读取立结案标准…</translation>
    </message>
    <message>
        <source>Exporting the standard sheet…</source>
        <translation>正在导出立结案标准…</translation>
    </message>
    <message>
        <source>{n} filing conditions written to {file}</source>
        <translation>已将 {n} 条立案条件写入 {file}</translation>
    </message>
    <message>
        <source>Open a standard sheet</source>
        <translation>打开立结案标准</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export the standard sheet</source>
        <translation>导出立结案标准</translation>
    </message>
    <message>
        <source>Applying the standard sheet…</source>
        <translation>正在应用立结案标准…</translation>
    </message>
    <message>
        <source>The standard sheet was applied.</source>
        <translation>立结案标准已应用。</translation>
    </message>
    <message>
        <source>Added {added} · changed {changed} · unchanged {unchanged} · bad rows {bad} · new classes {classes}</source>
        <translation>新增 {added} · 修改 {changed} · 不变 {unchanged} · 错误行 {bad} · 新类别 {classes}</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>Bad row</source>
        <translation>错误行</translation>
    </message>
</context>
<context>
    <name>StatCard</name>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>{n} 分钟前</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>{n} 小时前</translation>
    </message>
    <message>
        <source>as of {when} ({age})</source>
        <translation>数据截至 {when}（{age}）</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>StatsDashboard</name>
    <message>
        <source>Export statistics…</source>
        <translation>导出统计…</translation>
    </message>
    <message>
        <source>Write these statistics, with their period and filters, to Excel</source>
        <translation>按当前时段和筛选条件将统计导出为 Excel</translation>
    </message>
    <message>
        <source>Monthly report…</source>
        <translation>生成月报…</translation>
    </message>
    <message>
        <source>Write a month&apos;s operations report to Excel</source>
        <translation>将某月的运营监控与数据分析报告写成 Excel</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Exporting the statistics to Excel…</source>
        <translation>正在导出统计到 Excel…</translation>
    </message>
    <message>
        <source>Writing the monthly report of {month}…</source>
        <translation>正在生成 {month} 月报…</translation>
    </message>
    <message>
        <source>Updated at {time}</source>
        <translation>更新于 {time}</translation>
    </message>
    <message>
        <source>The statistics could not be loaded: {error}</source>
        <translation>统计加载失败：{error}</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <source>statistics-{day}.xlsx</source>
        <translation>统计-{day}.xlsx</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Statistics written to {path}</source>
        <translation>统计已导出到 {path}</translation>
    </message>
    <message>
        <source>Monthly report written to {path}</source>
        <translation>月报已生成：{path}</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
</context>
<context>
    <name>StatsFilterBar</name>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>自定义时段</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Street, community or grid code or name</source>
        <translation>街道/社区/网格编码或网格名</translation>
    </message>
    <message>
        <source>A street (9 digits), community (12 digits) or unit grid (15 digits) code, or a grid&apos;s name</source>
        <translation>街道（9位）、社区（12位）或单元网格（15位）编码，或网格名称</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
</context>
<context>
    <name>SupervisionView</name>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Near deadline</source>
        <translation>临期</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Urge all overdue…</source>
        <translation>督办全部超期…</translation>
    </message>
    <message>
        <source>Urge every overdue case of the chosen department with one note</source>
        <translation>以同一督办意见督办所选部门的全部超期案卷</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>{overdue} overdue · {warning} near the deadline</source>
        <translation>超期 {overdue} 件 · 临期 {warning} 件</translation>
    </message>
</context>
<context>
    <name>ToCaseDialog</name>
    <message>
        <source>Turn the complaint into a case</source>
        <extracomment>What a step sends: given the complaint&apos;s version when the form is sent, the write.</extracomment>
        <translation>投诉转为案卷</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>转为案卷</translation>
    </message>
    <message>
        <source>Type a name or a code, e.g. 井盖 or 0101</source>
        <translation>输入名称或编码，如 井盖 或 0101</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>问题类别：</translation>
    </message>
    <message>
        <source>— choose a category first —</source>
        <translation>— 请先选择问题类别 —</translation>
    </message>
    <message>
        <source>Filing condition:</source>
        <translation>立案条件：</translation>
    </message>
    <message>
        <source>Urgency:</source>
        <translation>紧急程度：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>问题描述：</translation>
    </message>
    <message>
        <source>— not decided yet —</source>
        <translation>— 暂不确定 —</translation>
    </message>
    <message>
        <source>Choose a category from the list.</source>
        <translation>请从列表中选择问题类别。</translation>
    </message>
    <message>
        <source>Describe the problem.</source>
        <translation>请描述问题。</translation>
    </message>
</context>
<context>
    <name>TrendCard</name>
    <message>
        <source>Cases per day</source>
        <translation>每日案卷</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
</context>
<context>
    <name>UrgeDepartmentDialog</name>
    <message>
        <source>Urge a department</source>
        <extracomment>Coalesces a burst of notices (a sweep flags many cases) into one re-read. The data role of a department row: its code (&quot;&quot; for every department).</extracomment>
        <translation>部门督办</translation>
    </message>
    <message>
        <source>Urge all {n} overdue cases of {department} with this note:</source>
        <translation>以下列督办意见督办{department}的全部 {n} 件超期案卷：</translation>
    </message>
    <message>
        <source>What the department must do, and by when</source>
        <translation>要求部门做什么、何时完成</translation>
    </message>
    <message>
        <source>Urge</source>
        <translation>督办</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>New user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>Roles of {login}</source>
        <translation>{login} 的岗位</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation>岗位：</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>所属部门：</translation>
    </message>
    <message>
        <source>Choose at least one role.</source>
        <translation>请至少选择一个岗位。</translation>
    </message>
    <message>
        <source>A department seat needs its department.</source>
        <translation>专业部门坐席必须指定所属部门。</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Switch user…</source>
        <translation>切换用户(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Lock the desk</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Import complaints…</source>
        <translation>导入投诉(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Find in the queue</source>
        <translation>在队列中查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Next queue</source>
        <translation>下一个队列(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous queue</source>
        <translation>上一个队列(&amp;P)</translation>
    </message>
    <message>
        <source>Role &amp;panels</source>
        <translation>岗位面板(&amp;P)</translation>
    </message>
    <message>
        <source>Show the {role} panel</source>
        <translation>切换到{role}面板</translation>
    </message>
    <message>
        <source>Show the &amp;map</source>
        <translation>显示地图(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Reset the layout</source>
        <translation>恢复默认布局(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About seatdesk</source>
        <translation>关于(&amp;A)</translation>
    </message>
</context>
</TS>
